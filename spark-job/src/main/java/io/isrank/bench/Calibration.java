package io.isrank.bench;

import io.isrank.estimate.GaussianInformation;
import io.isrank.example.ExampleGenerator;
import io.isrank.job.Cli;
import io.isrank.job.Pipeline;
import io.isrank.math.Synthetic;
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
 * <p>Usage: Calibration quick|full|sweeps|engines OUTPUT_DIR WORK_DIR
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
      c.gaussianLevels(full);
      c.transformed(full);
      c.embeddingLike(full);
      c.zoo();
      c.degenerate();
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
        "Calibration (%s), %d items per case, seeds fixed; defaults unless options say otherwise.", mode, ITEMS), table);
  }
}
