package io.isrank.probe;

import static org.apache.spark.sql.functions.col;

import io.isrank.error.InputException;
import io.isrank.error.IsrankException;
import io.isrank.runtime.SafeText;
import io.isrank.runtime.OutputFolder;
import io.isrank.runtime.Progress;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.classification.LogisticRegressionModel;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The downstream check: how well each model's embeddings predict the corpus's labels, and how
 * well isrank's label-free ranking agrees with that.
 *
 * <p>Per model: a linear probe (MLlib multinomial logistic regression on the raw embedding,
 * standardised, L2-regularised), scored by k-fold cross-validated accuracy with folds fixed by a
 * seeded hash of the item id (the same folds for every model); and leave-one-out kNN accuracy by
 * cosine similarity. Then Spearman's rho and Kendall's tau-b between isrank's informativeness and
 * each downstream accuracy.
 *
 * <p>Each model's aligned embeddings are collected to the driver for the kNN pass (n·d floats,
 * 15 MB for 10,000 items in 384 dims) and broadcast; the queries are split across tasks.
 */
public final class ProbeJob {
  private static final Logger LOG = LoggerFactory.getLogger("io.isrank");

  /** What to probe. */
  public record Options(String texts, String embeddings, String ranking, String output, int folds, double regParam,
      int maxIterations, int k, long seed, boolean overwrite) {}

  /** One model's downstream scores next to its isrank position. */
  public record ModelProbe(String model, int isrankRank, double informativeness, int items, int dimension,
      double probeAccuracy, double probeSd, double knnAccuracy, int probeRank, int knnRank) {}

  /** The whole outcome. */
  public record Result(List<ModelProbe> models, RankAgreement probe, RankAgreement knn, int classes, long items,
      double chance) {}

  private ProbeJob() {}

  public static Result run(SparkSession spark, Options o) {
    String runId = Long.toHexString(System.currentTimeMillis());
    OutputFolder out = OutputFolder.open(o.output(), o.overwrite(), runId, spark.sparkContext().hadoopConfiguration(),
        OutputFolder.inputs("texts", o.texts(), "embeddings", o.embeddings(), "ranking", o.ranking()));
    try {
      spark.sparkContext().setJobDescription("isrank probe: read labels, embeddings and the ranking");
      Dataset<Row> labels = readLabels(spark, o.texts());
      List<String> classes = labels.select("label").distinct().orderBy("label").collectAsList().stream()
          .map(r -> r.getString(0)).toList();
      Map<String, Integer> classIndex = new HashMap<>();
      for (int i = 0; i < classes.size(); i++) {
        classIndex.put(classes.get(i), i);
      }
      List<Row> majority = labels.groupBy("label").count().orderBy(col("count").desc()).limit(1).collectAsList();
      long items = labels.count();
      double chance = majority.get(0).getLong(1) / (double) items;
      List<RankedModel> ranked = readRanking(spark, o.ranking());
      spark.conf().set("spark.sql.sources.partitionColumnTypeInference.enabled", "false");
      Dataset<Row> embeddings = spark.read().parquet(o.embeddings());
      LOG.info("probe: {} labelled items in {} classes (majority class {}), {} models", items, classes.size(),
          String.format(Locale.ROOT, "%.3f", chance), ranked.size());

      List<Partial> partial = new ArrayList<>();
      Progress progress = new Progress("probe", ranked.size());
      for (RankedModel m : ranked) {
        spark.sparkContext().setJobDescription("isrank probe: " + m.model());
        Dataset<Row> joined = embeddings.filter(col("model").equalTo(m.model())).select(col("id").cast("long"),
            col("embedding")).join(labels, "id").orderBy("id").cache();
        List<Row> rows = joined.collectAsList();
        if (rows.isEmpty()) {
          throw new InputException("probe: model '" + m.model() + "' of the ranking has no embeddings with labels in '"
              + o.embeddings() + "'");
        }
        int n = rows.size();
        int d = rows.get(0).getList(1).size();
        float[] matrix = new float[n * d];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
          List<Object> v = rows.get(i).getList(1);
          for (int j = 0; j < d; j++) {
            matrix[i * d + j] = ((Number) v.get(j)).floatValue();
          }
          y[i] = classIndex.get(rows.get(i).getString(2));
        }
        double knn = knnAccuracy(spark, matrix, d, y, classes.size(), o.k());
        double[] folds = probeAccuracy(spark, joined, classIndex, o);
        joined.unpersist();
        double mean = mean(folds);
        double sd = sd(folds, mean);
        partial.add(new Partial(m, n, d, mean, sd, knn));
        progress.step(String.format(Locale.ROOT, "%s: %d items, %d dims, probe accuracy %.4f ± %.4f, kNN %.4f",
            m.model(), n, d, mean, sd, knn));
      }
      Result result = summarise(partial, classes.size(), items, chance);
      write(out, result, o);
      out.commit();
      spark.sparkContext().setJobDescription(null);
      return result;
    } catch (IOException e) {
      out.abandon();
      throw new IsrankException("probe: writing '" + o.output() + "' failed: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      out.abandon();
      throw e;
    }
  }

  private record RankedModel(String model, int rank, double informativeness) {}

  private record Partial(RankedModel m, int items, int dim, double probe, double probeSd, double knn) {}

  static Dataset<Row> readLabels(SparkSession spark, String texts) {
    Dataset<Row> t = spark.read().parquet(texts);
    if (!List.of(t.columns()).contains("label")) {
      throw new InputException("probe: texts '" + texts + "' have no 'label' column; columns are "
          + List.of(t.columns()));
    }
    return t.select(col("id").cast("long"), col("label").cast("string")).filter(col("label").isNotNull());
  }

  private static List<RankedModel> readRanking(SparkSession spark, String ranking) {
    String path = ranking.endsWith(".csv") ? ranking : ranking + "/ranking.csv";
    List<Row> rows = spark.read().option("header", "true").csv(path).select("rank", "model", "informativeness")
        .collectAsList();
    List<RankedModel> out = new ArrayList<>();
    for (Row r : rows) {
      out.add(new RankedModel(SafeText.fromCsvCell(r.getString(1)), Integer.parseInt(r.getString(0)), Double.parseDouble(r.getString(2))));
    }
    out.sort(Comparator.comparingInt(RankedModel::rank).thenComparing(RankedModel::model));
    if (out.size() < 3) {
      throw new InputException("probe: the ranking '" + path + "' holds " + out.size()
          + " models; rank correlations need at least 3");
    }
    return out;
  }

  /** Leave-one-out kNN accuracy; query blocks run as Spark tasks over the broadcast rows. */
  static double knnAccuracy(SparkSession spark, float[] matrix, int d, int[] y, int classes, int k) {
    NearestNeighbours.normalise(matrix, d);
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Broadcast<float[]> rows = jsc.broadcast(matrix);
    Broadcast<int[]> labels = jsc.broadcast(y);
    int n = y.length;
    int blocks = Math.max(1, Math.min(n, spark.sparkContext().defaultParallelism() * 4));
    List<Integer> starts = new ArrayList<>();
    for (int b = 0; b < blocks; b++) {
      starts.add(b);
    }
    long right = jsc.parallelize(starts, blocks).map(b -> {
      int from = (int) ((long) n * b / blocks);
      int to = (int) ((long) n * (b + 1) / blocks);
      return NearestNeighbours.correct(rows.value(), d, labels.value(), classes, k, from, to);
    }).reduce(Long::sum);
    rows.destroy();
    labels.destroy();
    return right / (double) n;
  }

  /** Cross-validated accuracy of multinomial logistic regression, one value per fold. */
  static double[] probeAccuracy(SparkSession spark, Dataset<Row> joined, Map<String, Integer> classIndex, Options o) {
    StructType schema = new StructType().add("features", SQLDataTypes.VectorType()).add("y", DataTypes.DoubleType)
        .add("fold", DataTypes.IntegerType);
    int folds = o.folds();
    long seed = o.seed();
    Map<String, Integer> index = new HashMap<>(classIndex);
    Dataset<Row> data = joined.map((org.apache.spark.api.java.function.MapFunction<Row, Row>) r -> {
      List<Object> v = r.getList(1);
      double[] x = new double[v.size()];
      for (int j = 0; j < x.length; j++) {
        x[j] = ((Number) v.get(j)).doubleValue();
      }
      return RowFactory.create(Vectors.dense(x), (double) index.get(r.getString(2)), fold(r.getLong(0), seed, folds));
    }, org.apache.spark.sql.Encoders.row(schema)).cache();
    MulticlassClassificationEvaluator accuracy = new MulticlassClassificationEvaluator().setLabelCol("y")
        .setPredictionCol("prediction").setMetricName("accuracy");
    double[] out = new double[folds];
    for (int f = 0; f < folds; f++) {
      Dataset<Row> train = data.filter(col("fold").notEqual(f));
      Dataset<Row> test = data.filter(col("fold").equalTo(f));
      LogisticRegressionModel model = new LogisticRegression().setFeaturesCol("features").setLabelCol("y")
          .setFamily("multinomial").setRegParam(o.regParam()).setElasticNetParam(0).setStandardization(true)
          .setMaxIter(o.maxIterations()).setTol(1e-6).fit(train);
      out[f] = accuracy.evaluate(model.transform(test));
    }
    data.unpersist();
    return out;
  }

  /** The fold of an item: a seeded hash of its id, the same for every model. */
  static int fold(long id, long seed, int folds) {
    return SeededHash.bucket(seed, id, folds);
  }

  static Result summarise(List<Partial> partial, int classes, long items, double chance) {
    int m = partial.size();
    double[] info = new double[m];
    double[] probe = new double[m];
    double[] knn = new double[m];
    for (int i = 0; i < m; i++) {
      info[i] = partial.get(i).m().informativeness();
      probe[i] = partial.get(i).probe();
      knn[i] = partial.get(i).knn();
    }
    int[] probeRank = ranks(probe);
    int[] knnRank = ranks(knn);
    List<ModelProbe> models = new ArrayList<>();
    for (int i = 0; i < m; i++) {
      Partial p = partial.get(i);
      models.add(new ModelProbe(p.m().model(), p.m().rank(), p.m().informativeness(), p.items(), p.dim(), p.probe(),
          p.probeSd(), p.knn(), probeRank[i], knnRank[i]));
    }
    return new Result(models, RankAgreement.of(info, probe), RankAgreement.of(info, knn), classes, items, chance);
  }

  /** 1 = best (highest); equal scores share the better rank. */
  static int[] ranks(double[] score) {
    int[] r = new int[score.length];
    for (int i = 0; i < score.length; i++) {
      int better = 0;
      for (double s : score) {
        if (s > score[i]) {
          better++;
        }
      }
      r[i] = better + 1;
    }
    return r;
  }

  private static double mean(double[] x) {
    double s = 0;
    for (double v : x) {
      s += v;
    }
    return s / x.length;
  }

  private static double sd(double[] x, double mean) {
    if (x.length < 2) {
      return 0;
    }
    double s = 0;
    for (double v : x) {
      s += (v - mean) * (v - mean);
    }
    return Math.sqrt(s / (x.length - 1));
  }

  private static void write(OutputFolder out, Result r, Options o) throws IOException {
    try (Writer w = new OutputStreamWriter(out.fileSystem().create(new Path(out.temporary(), "probe.csv"), false),
        StandardCharsets.UTF_8);
        CSVPrinter csv = new CSVPrinter(w, CSVFormat.DEFAULT.builder().setHeader("model", "isrank_rank",
            "informativeness", "items", "dimension", "probe_accuracy", "probe_accuracy_sd", "probe_rank",
            "knn_accuracy", "knn_rank").build())) {
      for (ModelProbe m : r.models()) {
        csv.printRecord(SafeText.csvCell(m.model()), m.isrankRank(), f(m.informativeness()), m.items(), m.dimension(),
            f(m.probeAccuracy()), f(m.probeSd()), m.probeRank(), f(m.knnAccuracy()), m.knnRank());
      }
    }
    try (Writer w = new OutputStreamWriter(out.fileSystem().create(new Path(out.temporary(), "agreement.csv"),
        false), StandardCharsets.UTF_8);
        CSVPrinter csv = new CSVPrinter(w, CSVFormat.DEFAULT.builder().setHeader("downstream", "spearman", "kendall",
            "models").build())) {
      csv.printRecord("linear_probe_accuracy", f(r.probe().spearman()), f(r.probe().kendall()), r.probe().models());
      csv.printRecord("knn_accuracy", f(r.knn().spearman()), f(r.knn().kendall()), r.knn().models());
    }
    try (Writer w = new OutputStreamWriter(out.fileSystem().create(new Path(out.temporary(), "probe.md"), false),
        StandardCharsets.UTF_8)) {
      w.write(markdown(r, o));
    }
  }

  /** The per-model table and the correlations, as Markdown (also printed at the end of a run). */
  public static String markdown(Result r, Options o) {
    StringBuilder s = new StringBuilder();
    s.append(String.format(Locale.ROOT, "%d labelled items, %d classes (majority-class accuracy %.3f); linear probe: "
        + "%d-fold CV, L2 %.0e; kNN: k = %d, cosine, leave-one-out.%n%n", r.items(), r.classes(), r.chance(),
        o.folds(), o.regParam(), o.k()));
    s.append("| isrank rank | model | informativeness | dims | probe accuracy | probe rank | kNN accuracy | kNN rank |\n");
    s.append("|---:|---|---:|---:|---:|---:|---:|---:|\n");
    for (ModelProbe m : r.models()) {
      s.append(String.format(Locale.ROOT, "| %d | %s | %.4f | %d | %.4f ± %.4f | %d | %.4f | %d |%n", m.isrankRank(),
          m.model(), m.informativeness(), m.dimension(), m.probeAccuracy(), m.probeSd(), m.probeRank(),
          m.knnAccuracy(), m.knnRank()));
    }
    s.append(String.format(Locale.ROOT, "%nAgreement of isrank's informativeness with downstream accuracy "
        + "(%d models):%n%n| downstream | Spearman | Kendall |%n|---|---:|---:|%n"
        + "| linear probe | %.3f | %.3f |%n| kNN | %.3f | %.3f |%n", r.probe().models(), r.probe().spearman(),
        r.probe().kendall(), r.knn().spearman(), r.knn().kendall()));
    return s.toString();
  }

  private static String f(double v) {
    return String.format(Locale.ROOT, "%.6f", v);
  }
}
