package io.isrank.embed;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.length;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.isrank.error.InputException;
import io.isrank.error.IsrankException;
import io.isrank.runtime.SafeText;
import io.isrank.runtime.OutputFolder;
import io.isrank.runtime.Progress;
import io.isrank.runtime.TaskProgress;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.LongAccumulator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embed stage: a Parquet table of texts ({@code id}, {@code text}) in, isrank's input layout
 * out ({@code output/model=<name>/part-*.parquet} with {@code id}, {@code embedding}), plus
 * {@code output/_models.csv} with each model's dimension, size and measured inference cost.
 *
 * <p>Encoders run inside Spark tasks: the corpus is hash-partitioned by id into a fixed number of
 * partitions and sorted by text length within each, so batches (and with them every float) are the
 * same whatever the cluster; each executor loads a model once and all its tasks share the session;
 * a task embeds {@code batchSize} texts per forward pass.
 */
public final class EmbedJob {
  private static final Logger LOG = LoggerFactory.getLogger("io.isrank");

  /** The rows every model produces. */
  static final StructType OUTPUT_SCHEMA = new StructType()
      .add("id", DataTypes.LongType, false)
      .add("embedding", DataTypes.createArrayType(DataTypes.FloatType, false), false);

  /** The metadata table's columns (read by isrank's metadata option). */
  public static final String[] METADATA_COLUMNS = {"model", "kind", "dimension", "parameters", "model_bytes",
      "ms_per_item", "items", "seconds", "description"};

  /** What to embed and how. */
  public record Options(String texts, String output, List<ModelSpec> models, int batchSize, int partitions,
      int threads, long seed, int vocabulary, boolean overwrite) {}

  /** One model's outcome. */
  public record ModelResult(ModelSpec spec, int dimension, long items, double seconds, Double msPerItem,
      Long modelBytes) {}

  private EmbedJob() {}

  public static List<ModelResult> run(SparkSession spark, Options o) {
    long started = System.nanoTime();
    String runId = Long.toHexString(System.currentTimeMillis());
    OutputFolder out = OutputFolder.open(o.output(), o.overwrite(), runId, spark.sparkContext().hadoopConfiguration(),
        OutputFolder.inputs("texts", o.texts()));
    try {
      spark.sparkContext().setJobDescription("isrank embed: read and check texts");
      Dataset<Row> corpus = loadTexts(spark, o);
      long n = corpus.count();
      LOG.info("embed: {} texts from {} in {} partitions; models {}", n, o.texts(), o.partitions(),
          o.models().stream().map(ModelSpec::name).toList());
      List<ModelResult> results = new ArrayList<>();
      int i = 0;
      Progress progress = new Progress("embed", o.models().size());
      for (ModelSpec spec : o.models()) {
        i++;
        String description = "isrank embed " + i + "/" + o.models().size() + ": " + spec.name();
        spark.sparkContext().setJobDescription(description);
        long t0 = System.nanoTime();
        LongAccumulator nanos = spark.sparkContext().longAccumulator("inference nanos " + spec.name());
        Dataset<Row> embedded;
        try (TaskProgress ignored = TaskProgress.start(spark.sparkContext(), "embed " + i + "/" + o.models().size()
            + " " + spec.name(), description, 15)) {
          embedded = switch (spec.kind()) {
            case ONNX_BUILTIN, ONNX_FILES -> encode(corpus, spec, spec.singleText() ? 1 : o.batchSize(), o.threads(),
                nanos);
            case TFIDF_LSA -> Baselines.tfidfLsa(corpus, spec.dimension(), o.vocabulary(), o.seed());
            case WORD2VEC -> Baselines.word2vec(corpus, spec.dimension(), o.seed());
            case NOISE -> Baselines.noise(corpus, spec.dimension(), o.seed());
          };
          embedded.write().parquet(new Path(out.temporary(), "model=" + spec.name()).toString());
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        Row first = spark.read().parquet(new Path(out.temporary(), "model=" + spec.name()).toString())
            .select("embedding").head();
        int dim = first.getList(0).size();
        Double msPerItem = spec.isEncoder() ? nanos.value() / 1e6 / n : null;
        results.add(new ModelResult(spec, dim, n, seconds, msPerItem,
            spec.modelBytes(spark.sparkContext().hadoopConfiguration())));
        progress.step(String.format(Locale.ROOT, "%s: %d texts, %d dims, %.1f s%s", spec.name(), n, dim, seconds,
            msPerItem == null ? "" : String.format(Locale.ROOT, ", %.2f ms/text on one core", msPerItem)));
      }
      writeMetadata(out, results);
      out.commit();
      spark.sparkContext().setJobDescription(null);
      LOG.info("embed: wrote {} models to {} in {}", results.size(), out.target(),
          Progress.seconds((System.nanoTime() - started) / 1e9));
      corpus.unpersist();
      return results;
    } catch (IOException e) {
      out.abandon();
      throw new IsrankException("embed: writing '" + o.output() + "' failed: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      out.abandon();
      throw e;
    }
  }

  /**
   * Reads the texts, checks them (ids present and unique, texts present) and lays them out for
   * deterministic batching.
   */
  static Dataset<Row> loadTexts(SparkSession spark, Options o) {
    Path p = new Path(o.texts());
    try {
      if (!p.getFileSystem(spark.sparkContext().hadoopConfiguration()).exists(p)) {
        throw new InputException("texts '" + o.texts() + "' do not exist");
      }
    } catch (IOException e) {
      throw new InputException("texts '" + o.texts() + "' cannot be read: " + e.getMessage(), e);
    }
    Dataset<Row> raw = spark.read().parquet(o.texts());
    List<String> columns = List.of(raw.columns());
    if (!columns.contains("id") || !columns.contains("text")) {
      throw new InputException("texts '" + o.texts() + "' need columns 'id' and 'text'; they have " + columns);
    }
    String idType = raw.schema().apply("id").dataType().typeName();
    if (!List.of("integer", "long", "short").contains(idType)) {
      throw new InputException("texts: column 'id' has type " + idType + "; expected an integer or long");
    }
    Dataset<Row> texts = raw.select(col("id").cast("long").as("id"), col("text").cast("string").as("text"));
    // one pass counts both kinds of missing value; a second finds duplicate ids
    Row nulls = texts.agg(sum(when(col("id").isNull(), 1).otherwise(0)),
        sum(when(col("text").isNull(), 1).otherwise(0))).head();
    long nullIds = nulls.isNullAt(0) ? 0 : nulls.getLong(0);
    long nullTexts = nulls.isNullAt(1) ? 0 : nulls.getLong(1);
    if (nullIds > 0) {
      throw new InputException("texts: " + nullIds + " rows have a null 'id'");
    }
    if (nullTexts > 0) {
      throw new InputException("texts: " + nullTexts + " rows have a null 'text' (e.g. ids "
          + examples(texts.filter(col("text").isNull())) + ")");
    }
    Dataset<Row> dup = texts.groupBy("id").count().filter(col("count").gt(1));
    long dups = dup.count();
    if (dups > 0) {
      throw new InputException("texts: " + dups + " ids appear more than once in 'id' (e.g. ids " + examples(dup) + ")");
    }
    return texts.repartition(o.partitions(), col("id")).sortWithinPartitions(length(col("text")), col("id")).cache();
  }

  private static String examples(Dataset<Row> rows) {
    return String.join(", ", rows.select("id").orderBy("id").limit(5).collectAsList().stream()
        .map(r -> String.valueOf(r.get(0))).toList());
  }

  /** Runs an ONNX encoder over the corpus, batch by batch in each task. */
  static Dataset<Row> encode(Dataset<Row> corpus, ModelSpec spec, int batchSize, int threads, LongAccumulator nanos) {
    MapPartitionsFunction<Row, Row> f = rows -> new Iterator<>() {
      private final List<Row> pending = new ArrayList<>();
      private int next;
      private OnnxEncoder encoder;

      @Override
      public boolean hasNext() {
        if (next < pending.size()) {
          return true;
        }
        pending.clear();
        next = 0;
        List<Long> ids = new ArrayList<>(batchSize);
        List<String> texts = new ArrayList<>(batchSize);
        while (rows.hasNext() && ids.size() < batchSize) {
          Row r = rows.next();
          ids.add(r.getLong(0));
          texts.add(r.getString(1));
        }
        if (ids.isEmpty()) {
          return false;
        }
        if (encoder == null) {
          encoder = OnnxEncoder.shared(spec, threads);
        }
        long t = System.nanoTime();
        float[][] vectors = encoder.embed(texts);
        nanos.add(System.nanoTime() - t);
        for (int k = 0; k < vectors.length; k++) {
          pending.add(RowFactory.create(ids.get(k), vectors[k]));
        }
        return true;
      }

      @Override
      public Row next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return pending.get(next++);
      }
    };
    return corpus.mapPartitions(f, Encoders.row(OUTPUT_SCHEMA));
  }

  private static void writeMetadata(OutputFolder out, List<ModelResult> results) throws IOException {
    Path file = new Path(out.temporary(), "_models.csv");
    try (Writer w = new OutputStreamWriter(out.fileSystem().create(file, false), StandardCharsets.UTF_8);
        CSVPrinter csv = new CSVPrinter(w, CSVFormat.DEFAULT.builder().setHeader(METADATA_COLUMNS).build())) {
      for (ModelResult r : results) {
        csv.printRecord(SafeText.csvRecord(r.spec().name(), r.spec().kind().name().toLowerCase(Locale.ROOT), r.dimension(),
            r.spec().parameters() == null ? "" : r.spec().parameters(),
            r.modelBytes() == null ? "" : r.modelBytes(),
            r.msPerItem() == null ? "" : String.format(Locale.ROOT, "%.4f", r.msPerItem()), r.items(),
            String.format(Locale.ROOT, "%.2f", r.seconds()), r.spec().description()));
      }
    }
  }
}
