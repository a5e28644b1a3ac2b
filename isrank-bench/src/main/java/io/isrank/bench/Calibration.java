package io.isrank.bench;

import io.isrank.estimate.GaussianInformation;
import io.isrank.testkit.ExampleGenerator;
import io.isrank.job.Cli;
import io.isrank.job.Pipeline;
import io.isrank.testkit.Synthetic;
import io.isrank.report.PairRow;
import io.isrank.report.RankingRow;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.apache.commons.math3.stat.correlation.KendallsCorrelation;
import org.apache.commons.math3.stat.correlation.SpearmansCorrelation;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The calibration suite: isrank's estimates against known truth, run through the real pipeline.
 * Case families (all seeded): jointly Gaussian pairs at several MI levels and dimensions; the same
 * after invertible element-wise maps (MI unchanged); embedding-like models from a shared latent
 * (MI from the population covariance); a nested zoo with a known order and a noise model;
 * degenerate pairs. Sweeps over n_fit, p, k and the floor. Prints and writes a table (CSV and
 * Markdown) per run so results can be compared across commits.
 *
 * <p>{@code engines} validates the task engine for mixtures against MLlib's on calibration cases
 * (Gaussian, transformed, embedding-like, the zoo): held-out log-likelihood fit by fit, IS per
 * direction, and the ranking.
 *
 * <p>{@code spread} runs the cases of information spread over many directions (16 to 128 shared
 * directions, models of 8 to 1,024 dims, non-orthogonal mixing, nested zoos, n_fit 2,000 to
 * 20,000) under the old and the new defaults.
 *
 * <p>Usage: Calibration quick|full|sweeps|engines|spread OUTPUT_DIR WORK_DIR
 */
public final class Calibration {
  private static final int ITEMS = 12_000;

  private final SparkSession spark;
  private final Path work;
  private final List<Map<String, String>> table = new ArrayList<>();

  private Calibration(SparkSession spark, Path work) {
    this.spark = spark;
    this.work = work;
  }

  public static void main(String[] args) throws IOException {
    String mode = args.length > 0 ? args[0] : "quick";
    Path out = Path.of(args.length > 1 ? args[1] : "docs");
    Path work = Path.of(args.length > 2 ? args[2] : "/tmp/isrank-calibration");
    SparkSession spark = SparkSession.builder().appName("isrank calibration").master("local[*]")
        .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "4").getOrCreate();
    Calibration c = new Calibration(spark, work);
    boolean full = mode.equals("full");
    try {
      if (mode.equals("sweeps")) {
        c.sweeps();
        return;
      }
      if (mode.equals("engines")) {
        c.engines();
        return;
      }
      if (mode.equals("spread")) {
        c.spread(true);
        return;
      }
      c.gaussianLevels(full);
      c.transformed(full);
      c.embeddingLike(full);
      c.zoo();
      c.degenerate();
      c.spread(full);
      if (full) {
        c.sweeps();
      }
    } finally {
      c.write(out, mode);
      spark.stop();
    }
  }

  private static final StructType SCHEMA = DataTypes.createStructType(List.of(
      DataTypes.createStructField("id", DataTypes.LongType, false),
      DataTypes.createStructField("model", DataTypes.StringType, false),
      DataTypes.createStructField("embedding", DataTypes.createArrayType(DataTypes.DoubleType, false), false)));

  /** Samples [U; V] from N(0, cov), optionally maps each coordinate, writes it; returns the path. */
  private String pair(String name, double[][] cov, int sourceDim, Synthetic.Transform transform, long seed) {
    Path dir = work.resolve(name);
    double[][] x = Synthetic.sample(new double[cov.length], cov, ITEMS, seed);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < x.length; i++) {
      double[] row = x[i];
      if (transform != null) {
        for (int j = 0; j < row.length; j++) {
          row[j] = transform.apply(row[j]);
        }
      }
      rows.add(RowFactory.create((long) i, "u", boxed(Arrays.copyOfRange(row, 0, sourceDim))));
      rows.add(RowFactory.create((long) i, "v", boxed(Arrays.copyOfRange(row, sourceDim, row.length))));
    }
    spark.createDataFrame(rows, SCHEMA).repartition(4).write().mode(SaveMode.Overwrite).parquet(dir.toString());
    return dir.toString();
  }

  private static List<Double> boxed(double[] v) {
    List<Double> out = new ArrayList<>(v.length);
    for (double x : v) {
      out.add(x);
    }
    return out;
  }

  private Pipeline.Result run(String input, String name, String... options) {
    List<String> argv = new ArrayList<>(List.of("--input", input, "--output", work.resolve("out").resolve(name)
        .toString(), "--overwrite", "--rank.bootstrap", "0"));
    if (!Arrays.asList(options).contains("--split.fit-rows")) {
      argv.addAll(List.of("--split.fit-rows", "6000"));
    }
    argv.addAll(Arrays.asList(options));
    return Pipeline.run(spark, ((Cli.Run) Cli.parse(argv.toArray(new String[0]))).config());
  }

  private void record(String family, String name, double truth, Pipeline.Result r, String options, double seconds) {
    PairRow p = r.pairs().stream().filter(x -> x.source().equals("u") && x.target().equals("v")).findFirst()
        .orElseThrow();
    Map<String, String> row = new LinkedHashMap<>();
    row.put("family", family);
    row.put("case", name);
    row.put("options", options);
    row.put("true MI", f(truth));
    row.put("estimate", f(p.sufficiency()));
    row.put("SE", f(p.standardError()));
    row.put("bias", f(p.sufficiency() - truth));
    row.put("bias/SE", String.format(Locale.ROOT, "%.1f", (p.sufficiency() - truth) / p.standardError()));
    row.put("spearman", "");
    row.put("kendall", "");
    row.put("seconds", String.format(Locale.ROOT, "%.1f", seconds));
    table.add(row);
    System.err.println(row);
  }

  private void measure(String family, String name, String input, double truth, String... options) {
    long start = System.nanoTime();
    Pipeline.Result r = run(input, name + String.join("", options).replace("-", ""), options);
    record(family, name, truth, r, String.join(" ", options), (System.nanoTime() - start) / 1e9);
  }

  private static String f(double v) {
    return String.format(Locale.ROOT, "%.4f", v);
  }

  void gaussianLevels(boolean full) {
    int[] dims = full ? new int[] {8, 64, 768} : new int[] {8, 64};
    double[] levels = full ? new double[] {0, 0.5, 2, 5, 10, 20} : new double[] {0, 2, 10};
    for (int d : dims) {
      for (double mi : levels) {
        int r = Math.min(8, d);
        double[] rho = mi == 0 ? new double[0] : Synthetic.correlationsFor(mi, r);
        double[][] cov = Synthetic.signalCovariance(d, d, rho, 4.0, 31L * d);
        String input = pair(String.format(Locale.ROOT, "gauss-d%d-mi%.1f", d, mi), cov, d, null, 5);
        double truth = GaussianInformation.fromCanonicalCorrelations(rho);
        measure("gaussian", "d=" + d + " MI=" + mi, input, truth);
        measure("gaussian", "d=" + d + " MI=" + mi, input, truth, "--reduce.gaussianise", "true");
      }
    }
  }

  void transformed(boolean full) {
    double[] rho = Synthetic.correlationsFor(2.0, 4);
    double[][] cov = Synthetic.signalCovariance(8, 8, rho, 1.0, 77);
    double truth = GaussianInformation.fromCanonicalCorrelations(rho);
    for (Synthetic.Transform t : Synthetic.Transform.values()) {
      String input = pair("transformed-" + t, cov, 8, t, 6);
      measure("transformed", t.name().toLowerCase(Locale.ROOT), input, truth);
      measure("transformed", t.name().toLowerCase(Locale.ROOT), input, truth, "--reduce.gaussianise", "true");
      for (String target : List.of("joint", "separate")) {
        measure("transformed", t.name().toLowerCase(Locale.ROOT), input, truth, "--estimator.type", "mixture",
            "--mixture.k-marginal", "4", "--mixture.k-joint", "4", "--estimator.target-marginal", target);
      }
      if (full) {
        measure("transformed", t.name().toLowerCase(Locale.ROOT), input, truth, "--estimator.type", "mixture",
            "--mixture.k-marginal", "8", "--mixture.k-joint", "8");
      }
    }
  }

  void embeddingLike(boolean full) {
    int[][] shapes = full ? new int[][] {{128, 256}, {384, 384}, {1024, 512}} : new int[][] {{128, 256}};
    for (int[] s : shapes) {
      double[][] cov = Synthetic.embeddingLikeCovariance(8, s[0], s[1], 0.5, 13);
      double truth = GaussianInformation.mutualInformation(cov, s[0]);
      String input = pair("embedding-" + s[0] + "x" + s[1], cov, s[0], null, 8);
      measure("embedding-like", s[0] + "x" + s[1], input, truth);
      measure("embedding-like", s[0] + "x" + s[1], input, truth, "--reduce.dims", "32");
      measure("embedding-like", s[0] + "x" + s[1], input, truth, "--reduce.gaussianise", "true");
    }
  }

  /** The nested zoo: model i sees fewer latent factors, with more noise, than model i − 1; the last is noise. */
  private static final List<ExampleGenerator.ModelSpec> ZOO = List.of(
      new ExampleGenerator.ModelSpec("z1-12f", 12, 96, 0.4),
      new ExampleGenerator.ModelSpec("z2-10f", 10, 64, 0.6),
      new ExampleGenerator.ModelSpec("z3-8f", 8, 64, 0.8),
      new ExampleGenerator.ModelSpec("z4-6f", 6, 48, 1.0),
      new ExampleGenerator.ModelSpec("z5-4f", 4, 48, 1.2),
      new ExampleGenerator.ModelSpec("z6-2f", 2, 32, 1.4),
      new ExampleGenerator.ModelSpec("z7-noise", 0, 32, 1.0));

  /** Writes the zoo (6,000 items) and returns its path. */
  private String writeZoo() {
    Path dir = work.resolve("zoo");
    ExampleGenerator.dataset(spark, ZOO, 6000, 3).write().mode(SaveMode.Overwrite).parquet(dir.toString());
    return dir.toString();
  }

  void zoo() {
    String dir = writeZoo();
    List<ExampleGenerator.ModelSpec> zoo = ZOO;
    for (String[] options : new String[][] {{}, {"--reduce.gaussianise", "true"}, {"--estimator.type", "mixture"}}) {
      long start = System.nanoTime();
      Pipeline.Result r = run(dir, "zoo" + options.length, options);
      double[] truthRank = new double[zoo.size()];
      double[] estimatedRank = new double[zoo.size()];
      for (int i = 0; i < zoo.size(); i++) {
        String name = zoo.get(i).name();
        truthRank[i] = i + 1;
        estimatedRank[i] = r.ranking().stream().filter(x -> x.model().equals(name)).findFirst()
            .map(RankingRow::rank).orElseThrow();
      }
      Map<String, String> row = new LinkedHashMap<>();
      row.put("family", "zoo");
      row.put("case", "7 nested models + noise");
      row.put("options", String.join(" ", options));
      row.put("true MI", "");
      row.put("estimate", "order " + String.join(" > ", r.ranking().stream().map(RankingRow::model).toList()));
      row.put("SE", "");
      row.put("bias", "");
      row.put("bias/SE", "");
      row.put("spearman", f(new SpearmansCorrelation().correlation(truthRank, estimatedRank)));
      row.put("kendall", f(new KendallsCorrelation().correlation(truthRank, estimatedRank)));
      row.put("seconds", String.format(Locale.ROOT, "%.1f", (System.nanoTime() - start) / 1e9));
      table.add(row);
      System.err.println(row);
    }
  }

  void degenerate() {
    double floor = 1e-4;
    // identical: V = U (8 dims); linear: V = A U; independent; constant coordinates in U.
    double[][] base = Synthetic.signalCovariance(8, 8, new double[0], 1.0, 3);
    double[][] u = Synthetic.sample(new double[8], Arrays.stream(base).limit(8)
        .map(r -> Arrays.copyOf(r, 8)).toArray(double[][]::new), ITEMS, 9);
    double[][] a = Synthetic.orthogonal(8, 4);
    Random random = new Random(1);
    for (String kind : List.of("identical", "linear", "independent", "constant-coordinates")) {
      List<Row> rows = new ArrayList<>();
      for (int i = 0; i < u.length; i++) {
        double[] v = switch (kind) {
          case "identical" -> u[i].clone();
          case "linear" -> Synthetic.multiply(new double[][] {u[i]}, Synthetic.transpose(a))[0];
          default -> random.doubles(8).map(x -> x - 0.5).toArray();
        };
        double[] source = kind.equals("constant-coordinates") ? concatenate(u[i], new double[] {1, 1, 1, 1}) : u[i];
        if (kind.equals("constant-coordinates")) {
          v = concatenate(Arrays.copyOf(u[i], 4), new double[] {0, 0, 0, 0});
        }
        rows.add(RowFactory.create((long) i, "u", boxed(source)));
        rows.add(RowFactory.create((long) i, "v", boxed(v)));
      }
      Path dir = work.resolve("degenerate-" + kind);
      spark.createDataFrame(rows, SCHEMA).write().mode(SaveMode.Overwrite).parquet(dir.toString());
      double truth = switch (kind) {
        case "identical", "linear" -> 8 * GaussianInformation.ceilingPerDimension(floor);
        case "constant-coordinates" -> 4 * GaussianInformation.ceilingPerDimension(floor);
        default -> 0.0;
      };
      measure("degenerate", kind + (truth > 0 ? " (truth = ceiling)" : ""), dir.toString(), truth);
      measure("degenerate", kind + (truth > 0 ? " (truth = ceiling)" : ""), dir.toString(), truth,
          "--reduce.gaussianise", "true");
    }
  }

  private static double[] concatenate(double[] a, double[] b) {
    double[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  /**
   * Information spread over many directions (issue 13): zoos from Synthetic.latentZoo (shared
   * factors through noise 0.5, padded with private coordinates, mixed by random invertible maps of
   * condition ≤ 10), from 16 to 128 shared directions in models of 8 to 1,024 dims, n_fit 2,000
   * to 20,000; each under the old default (p = 16, no bias correction), auto p without the bias
   * correction, and the new default. Per run: the relative IS error over all directions (median,
   * worst) against the closed form, and the rank agreement of informativeness with the truth's.
   */
  void spread(boolean full) {
    record SpreadCase(String name, int[] dims, int[] factors, int items) {}
    List<SpreadCase> cases = new ArrayList<>(List.of(
        new SpreadCase("24 factors in 8-64 dims", new int[] {8, 16, 24, 32, 48, 64}, new int[] {4, 8, 12, 16, 24, 24},
            20_000),
        new SpreadCase("nested 4-24 factors in 32-96 dims", new int[] {96, 80, 64, 48, 40, 32},
            new int[] {24, 20, 16, 12, 8, 4}, 20_000),
        new SpreadCase("64 factors in 128-768 dims, n_fit 5000", new int[] {768, 512, 256, 128},
            new int[] {64, 48, 32, 16}, 10_000)));
    if (full) {
      cases.add(new SpreadCase("24 factors in 8-64 dims, n_fit 2000", new int[] {8, 16, 24, 32, 48, 64},
          new int[] {4, 8, 12, 16, 24, 24}, 4_000));
      cases.add(new SpreadCase("64 factors in 128-768 dims, n_fit 10000", new int[] {768, 512, 256, 128},
          new int[] {64, 48, 32, 16}, 20_000));
      cases.add(new SpreadCase("128 factors in 256-1024 dims, n_fit 20000", new int[] {1024, 512, 256},
          new int[] {128, 96, 64}, 40_000));
    }
    String[][] variants = System.getenv().containsKey("SPREAD_VARIANTS")
        ? java.util.Arrays.stream(System.getenv("SPREAD_VARIANTS").split(";")).map(v -> v.isBlank() ? new String[0]
            : v.trim().split(" ")).toArray(String[][]::new)
        : new String[][] {{"--reduce.dims", "16", "--estimator.bias-correction", "false"},
            {"--estimator.bias-correction", "false"}, {}};
    // SPREAD_CASES=text runs only the cases whose name contains it (for re-measuring one case)
    String only = System.getenv().getOrDefault("SPREAD_CASES", "");
    for (SpreadCase c : cases) {
      if (!c.name().contains(only)) {
        continue;
      }
      int m = c.dims().length;
      double[][] cov = Synthetic.latentZoo(c.dims(), c.factors(), 0.5, 10, 101);
      int[] offsets = new int[m + 1];
      String[] names = new String[m];
      for (int j = 0; j < m; j++) {
        offsets[j + 1] = offsets[j] + c.dims()[j];
        names[j] = String.format(Locale.ROOT, "m%d-%df-%dd", j, c.factors()[j], c.dims()[j]);
      }
      double[][] truth = new double[m][m];
      double[] truthInformativeness = new double[m];
      for (int a = 0; a < m; a++) {
        List<Double> normalised = new ArrayList<>();
        for (int b = 0; b < m; b++) {
          if (a != b) {
            truth[a][b] = pairTruth(cov, offsets, a, b);
            normalised.add(truth[a][b] / c.dims()[b]);
          }
        }
        truthInformativeness[a] = io.isrank.rank.Statistics.median(normalised.stream().mapToDouble(x -> x).toArray());
      }
      String input = writeGaussian("spread-" + c.name().replaceAll("[^a-z0-9]+", "-"), names, offsets, cov, c.items(),
          41);
      for (String[] options : variants) {
        long start = System.nanoTime();
        List<String> argv = new ArrayList<>(List.of("--split.fit-rows", String.valueOf(c.items() / 2)));
        argv.addAll(List.of(options));
        Pipeline.Result r = run(input, "spread" + table.size(), argv.toArray(new String[0]));
        double[] errors = r.pairs().stream().mapToDouble(p -> {
          int a = Arrays.asList(names).indexOf(p.source());
          int b = Arrays.asList(names).indexOf(p.target());
          return Math.abs(p.sufficiency() - truth[a][b]) / truth[a][b];
        }).sorted().toArray();
        double[] estimated = new double[m];
        for (int a = 0; a < m; a++) {
          String name = names[a];
          estimated[a] = r.ranking().stream().filter(x -> x.model().equals(name)).findFirst().orElseThrow()
              .informativeness();
        }
        Map<String, String> row = new LinkedHashMap<>();
        row.put("family", "spread");
        row.put("case", c.name());
        row.put("options", options.length == 0 ? "(new defaults)" : String.join(" ", options));
        row.put("true MI", String.format(Locale.ROOT, "%.2f-%.2f", Arrays.stream(truth).flatMapToDouble(Arrays::stream)
            .filter(x -> x > 0).min().orElse(0), Arrays.stream(truth).flatMapToDouble(Arrays::stream).max().orElse(0)));
        row.put("estimate", String.format(Locale.ROOT, "median error %.1f%%, worst %.1f%%; kept %s; truncated %d",
            100 * errors[errors.length / 2], 100 * errors[errors.length - 1],
            r.pairs().stream().filter(p -> p.target().equals(names[0]) || p.source().equals(names[0]))
                .map(PairRow::sourceReducedDim).distinct().toList(),
            r.pairs().stream().filter(PairRow::mayBeTruncated).count()));
        row.put("SE", f(r.pairs().stream().mapToDouble(PairRow::standardError).max().orElse(0)));
        row.put("bias", "");
        row.put("bias/SE", "");
        row.put("spearman", f(new SpearmansCorrelation().correlation(truthInformativeness, estimated)));
        row.put("kendall", f(new KendallsCorrelation().correlation(truthInformativeness, estimated)));
        row.put("seconds", String.format(Locale.ROOT, "%.1f", (System.nanoTime() - start) / 1e9));
        table.add(row);
        System.err.println(row);
      }
    }
  }

  private static double pairTruth(double[][] cov, int[] offsets, int a, int b) {
    return GaussianInformation.betweenBlocks(cov, offsets[a], offsets[a + 1], offsets[b], offsets[b + 1]);
  }

  /**
   * Draws the models of a population covariance (rows x = L·e, L its Cholesky factor, e seeded
   * per item) in Spark tasks and writes them in the long layout; returns the path.
   */
  private String writeGaussian(String name, String[] names, int[] offsets, double[][] cov, int items, long seed) {
    Path dir = work.resolve(name);
    double[][] l = Synthetic.cholesky(cov);
    org.apache.spark.broadcast.Broadcast<double[][]> shared = org.apache.spark.api.java.JavaSparkContext
        .fromSparkContext(spark.sparkContext()).broadcast(l);
    org.apache.spark.api.java.function.FlatMapFunction<Long, Row> draw = id -> {
      double[][] factor = shared.value();
      java.util.SplittableRandom random = new java.util.SplittableRandom(seed * 0x9E3779B97F4A7C15L + id);
      int d = factor.length;
      double[] e = new double[d];
      for (int i = 0; i < d; i++) {
        e[i] = random.nextGaussian();
      }
      List<Row> rows = new ArrayList<>(names.length);
      for (int j = 0; j < names.length; j++) {
        List<Double> x = new ArrayList<>(offsets[j + 1] - offsets[j]);
        for (int i = offsets[j]; i < offsets[j + 1]; i++) {
          double v = 0;
          double[] li = factor[i];
          for (int k = 0; k <= i; k++) {
            v += li[k] * e[k];
          }
          x.add(v);
        }
        rows.add(RowFactory.create(id, names[j], scala.jdk.javaapi.CollectionConverters.asScala(x).toSeq()));
      }
      return rows.iterator();
    };
    spark.createDataFrame(spark.range(0, items, 1, 8).as(org.apache.spark.sql.Encoders.LONG()).javaRDD()
        .flatMap(draw), SCHEMA).write().mode(SaveMode.Overwrite).parquet(dir.toString());
    return dir.toString();
  }

  void sweeps() {
    double[] rho = Synthetic.correlationsFor(5.0, 8);
    double truth = GaussianInformation.fromCanonicalCorrelations(rho);
    String input = pair("sweep-gauss", Synthetic.signalCovariance(32, 32, rho, 4.0, 21), 32, null, 12);
    for (String n : List.of("500", "1500", "6000")) {
      measure("sweep n_fit", "d=32 MI=5", input, truth, "--split.fit-rows", n);
    }
    for (String p : List.of("4", "8", "16", "32")) {
      measure("sweep p", "d=32 MI=5", input, truth, "--reduce.dims", p);
    }
    for (String floor : List.of("1e-6", "1e-4", "1e-2")) {
      measure("sweep floor", "d=32 MI=5", input, truth, "--estimator.floor", floor);
    }
    double[] high = Synthetic.correlationsFor(20.0, 8);
    String highInput = pair("sweep-gauss-high", Synthetic.signalCovariance(16, 16, high, 4.0, 22), 16, null, 13);
    for (String floor : List.of("1e-6", "1e-4", "1e-2")) {
      measure("sweep floor", "d=16 MI=20", highInput, GaussianInformation.fromCanonicalCorrelations(high),
          "--estimator.floor", floor);
    }
  }

  /**
   * Both mixture engines on the same inputs and options. Per case: fit-stage seconds of each;
   * the fits whose held-out mean log-density under the task engine is at least MLlib's minus two
   * standard errors of the difference, and the largest shortfall in those errors; the directions
   * whose IS agrees within two standard errors of the difference, and the largest gap; whether the
   * rankings are the same.
   */
  void engines() {
    double[] rho = Synthetic.correlationsFor(2.0, 4);
    double[][] transformedCov = Synthetic.signalCovariance(8, 8, rho, 1.0, 77);
    for (double mi : new double[] {0, 2, 10}) {
      for (int d : new int[] {8, 64}) {
        double[] r = mi == 0 ? new double[0] : Synthetic.correlationsFor(mi, Math.min(8, d));
        String input = pair(String.format(Locale.ROOT, "gauss-d%d-mi%.1f", d, mi),
            Synthetic.signalCovariance(d, d, r, 4.0, 31L * d), d, null, 5);
        compareEngines("gaussian", "d=" + d + " MI=" + mi, input, GaussianInformation.fromCanonicalCorrelations(r));
      }
    }
    for (Synthetic.Transform t : Synthetic.Transform.values()) {
      String input = pair("transformed-" + t, transformedCov, 8, t, 6);
      compareEngines("transformed", t.name().toLowerCase(Locale.ROOT), input,
          GaussianInformation.fromCanonicalCorrelations(rho), "--mixture.k-marginal", "4", "--mixture.k-joint", "4");
    }
    double[][] cov = Synthetic.embeddingLikeCovariance(8, 128, 256, 0.5, 13);
    compareEngines("embedding-like", "128x256", pair("embedding-128x256", cov, 128, null, 8),
        GaussianInformation.mutualInformation(cov, 128));
    compareEngines("zoo", "7 nested models + noise", writeZoo(), Double.NaN);
  }

  /** @param truth MI of the pair u, v (NaN for the zoo, whose truth is its order) */
  private void compareEngines(String family, String name, String input, double truth, String... options) {
    String[] common = concat(new String[] {"--estimator.type", "mixture"}, options);
    String id = family + "-" + name.replaceAll("[^A-Za-z0-9]", "");
    Pipeline.Result task = run(input, id + "-task", concat(common, "--mixture.engine", "task"));
    Pipeline.Result mllib = run(input, id + "-mllib", concat(common, "--mixture.engine", "mllib",
        "--mixture.parallelism", "2"));
    Map<String, io.isrank.fit.FitDiagnostics> theirs = new LinkedHashMap<>();
    mllib.fits().forEach(f -> theirs.put(f.density(), f));
    int asGood = 0;
    double worstFit = Double.POSITIVE_INFINITY;
    for (io.isrank.fit.FitDiagnostics f : task.fits()) {
      io.isrank.fit.FitDiagnostics g = theirs.get(f.density());
      double gap = (f.heldOut() - g.heldOut()) / Math.hypot(f.heldOutError(), g.heldOutError());
      worstFit = Math.min(worstFit, gap);
      if (gap >= -2) {
        asGood++;
      }
    }
    int agree = 0;
    double largest = 0;
    for (PairRow p : task.pairs()) {
      PairRow q = mllib.pairs().stream().filter(x -> x.source().equals(p.source()) && x.target().equals(p.target()))
          .findFirst().orElseThrow();
      double gap = Math.abs(p.sufficiency() - q.sufficiency()) / Math.hypot(p.standardError(), q.standardError());
      largest = Math.max(largest, gap);
      if (gap <= 2) {
        agree++;
      }
    }
    Map<String, String> row = new LinkedHashMap<>();
    row.put("family", family);
    row.put("case", name);
    row.put("options", String.join(" ", options));
    row.put("fit s task", String.format(Locale.ROOT, "%.2f", task.timings().get("fit")));
    row.put("fit s mllib", String.format(Locale.ROOT, "%.2f", mllib.timings().get("fit")));
    row.put("components task", task.fits().stream().map(f -> String.valueOf(f.components()))
        .collect(java.util.stream.Collectors.joining(" ")));
    row.put("components mllib", mllib.fits().stream().map(f -> String.valueOf(f.components()))
        .collect(java.util.stream.Collectors.joining(" ")));
    row.put("held-out LL task", f(task.fits().stream().mapToDouble(x -> x.heldOut()).average().orElseThrow()));
    row.put("held-out LL mllib", f(mllib.fits().stream().mapToDouble(x -> x.heldOut()).average().orElseThrow()));
    row.put("fits at least as good", asGood + "/" + task.fits().size());
    row.put("worst fit gap (SE)", String.format(Locale.ROOT, "%.1f", worstFit));
    if (!Double.isNaN(truth)) {
      PairRow t = task.pairs().stream().filter(x -> x.source().equals("u")).findFirst().orElseThrow();
      PairRow m = mllib.pairs().stream().filter(x -> x.source().equals("u")).findFirst().orElseThrow();
      row.put("true MI", f(truth));
      row.put("IS task", f(t.sufficiency()) + " ± " + f(t.standardError()));
      row.put("IS mllib", f(m.sufficiency()) + " ± " + f(m.standardError()));
    } else {
      row.put("true MI", "order z1 > … > z7");
      row.put("IS task", "order " + String.join(" > ", task.ranking().stream().map(RankingRow::model).toList()));
      row.put("IS mllib", "order " + String.join(" > ", mllib.ranking().stream().map(RankingRow::model).toList()));
    }
    row.put("IS within 2 SE", agree + "/" + task.pairs().size());
    row.put("largest IS gap (SE)", String.format(Locale.ROOT, "%.1f", largest));
    row.put("same ranking", String.valueOf(task.ranking().stream().map(RankingRow::model).toList()
        .equals(mllib.ranking().stream().map(RankingRow::model).toList())));
    table.add(row);
    System.err.println(row);
  }

  private static String[] concat(String[] a, String... b) {
    String[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private void write(Path out, String mode) throws IOException {
    ResultTable.write(out, "calibration-" + mode, String.format(Locale.ROOT,
        "Calibration (%s), %d items per case (the spread family: 4,000 to 40,000, n_fit half of them, as its "
        + "case names say), seeds fixed; defaults unless options say otherwise.", mode, ITEMS), table);
  }
}
