package io.isrank.bench;

import io.isrank.testkit.SyntheticZoo;
import io.isrank.fit.FitDiagnostics;
import io.isrank.job.Cli;
import io.isrank.job.Pipeline;
import io.isrank.job.RunConfig;
import io.isrank.report.PairRow;
import io.isrank.runtime.Sessions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * Where the time goes: runs the pipeline on generated zoos and the bundled example and prints,
 * per case, the wall time of each stage, EM iterations, scoring throughput (rows/s) and fit
 * throughput (density fits/s); writes the table as CSV and Markdown. A benchmark, not a test: it
 * asserts nothing and is run by hand (bench/benchmark.sh), never by CI.
 *
 * <p>Whenever a case has run with both mixture engines, the two are compared (fit-stage time and
 * held-out log-likelihood fit by fit) in performance-engines.md/csv.
 *
 * <p>Every case is also timed against the floor, a plain Spark scan of its input in the same run
 * ({@link #floor}); the reading stages and the whole run are printed as multiples of it. In
 * {@code reading} mode isrank is timed as the floor is: after a warm-up — an untimed scan and
 * isrank's first run in the case, which pays for compiling isrank's code and for the memory it
 * first touches, and is reported in columns of its own — BENCH_ROUNDS (3) rounds of one timed scan
 * and one timed run, interleaved so that both see the machine in the same minutes; the floor is
 * the median scan and the stages are those of the median run. BENCH_REPEAT=N runs each case N
 * times in a row (opt-in: cases share one JVM, and each run leaves the heap in another state).
 *
 * <p>Usage: Benchmark quick|full|dims|fit|reading OUTPUT_DIR WORK_DIR ({@code dims}: only the dimension
 * sweep, written to performance-dims.md/csv; {@code fit}: only the two mixture engines on a zoo with
 * the 8 × 200k × 384 zoo's fit workload, to performance-fit*.md/csv)
 */
public final class Benchmark {
  private static final List<String> STAGES = List.of("load", "validate", "split", "reduce", "align", "fit", "score",
      "rank", "write");

  /** The stages that read the embeddings, each reported as a multiple of the floor. */
  private static final List<String> READING = List.of("validate", "reduce", "align");

  private record Case(String name, String input, int models, long items, int dim, List<String> options) {}

  private Benchmark() {}

  public static void main(String[] args) throws IOException {
    String mode = args.length > 0 ? args[0] : "quick";
    Path out = Path.of(args.length > 1 ? args[1] : "docs");
    Path work = Path.of(args.length > 2 ? args[2] : "/tmp/isrank-bench");
    // The embedded run's own settings (Sessions.localDefaults), so the figures are what users get.
    SparkSession.Builder builder = SparkSession.builder().appName("isrank benchmark").master("local[*]")
        .config("spark.ui.enabled", "false").config("spark.scheduler.mode", "FAIR");
    io.isrank.runtime.Sessions.shuffleDefaults(new org.apache.spark.SparkConf(), builder);
    io.isrank.runtime.Sessions.localDefaults(new org.apache.spark.SparkConf(), builder);
    SparkSession spark = builder.getOrCreate();
    List<Case> cases = cases(mode);
    String only = System.getenv("BENCH_ONLY"); // e.g. BENCH_ONLY='zoo8x1000k|example.*': only the cases it matches
    if (only != null && !only.isBlank()) {
      cases = cases.stream().filter(c -> c.name().matches(only)).toList();
    }
    // reading: each case's floor and run are timed in rounds after a warm-up (see below)
    int rounds = mode.equals("reading")
        ? Math.max(0, Integer.parseInt(System.getenv().getOrDefault("BENCH_ROUNDS", "3"))) : 0; // 0: one first run
    int repeat = Integer.parseInt(System.getenv().getOrDefault("BENCH_REPEAT", "1"));
    if (repeat > 1) {
      List<Case> repeated = new ArrayList<>();
      cases.forEach(c -> java.util.Collections.nCopies(repeat, c).forEach(repeated::add));
      cases = repeated;
    }
    List<Map<String, String>> table = new ArrayList<>();
    List<Map<String, String>> engines = new ArrayList<>();
    Map<String, Pipeline.Result> byEngine = new LinkedHashMap<>();
    for (Case c : cases) {
      String input = c.input() != null ? c.input() : generate(spark, work, c);
      List<String> argv = new ArrayList<>(List.of("--input", input, "--output", work.resolve("out-" + c.name())
          .toString(), "--overwrite"));
      argv.addAll(c.options());
      String extra = System.getenv("BENCH_ARGS"); // e.g. BENCH_ARGS='--input.keep-in-memory false': added to every case
      if (extra != null && !extra.isBlank()) {
        argv.addAll(List.of(extra.trim().split("\\s+")));
      }
      RunConfig cfg = ((Cli.Run) Cli.parse(argv.toArray(new String[0]))).config();
      double floor;
      Timed first = null;
      Timed t;
      List<Timed> runs = new ArrayList<>();
      if (rounds == 0) {
        floor = floor(spark, input);
        System.err.printf(Locale.ROOT, "%n=== %s: %s (floor: a plain scan of the input takes %.1fs)%n", c.name(),
            String.join(" ", c.options()), floor);
        t = timed(spark, cfg);
      } else {
        // isrank timed as the floor is: after a warm-up (an untimed scan and a first run, which pays
        // for compiling isrank's code and for the heap it first touches), the median of rounds of
        // one timed scan then one timed run, so both see the machine in the same minutes.
        System.err.printf(Locale.ROOT, "%n=== %s: %s (warm-up, then %d rounds of floor scan + run)%n", c.name(),
            String.join(" ", c.options()), rounds);
        scan(spark, input);
        first = timed(spark, cfg);
        double[] floors = new double[rounds];
        for (int i = 0; i < rounds; i++) {
          floors[i] = timedScan(spark, input);
          runs.add(timed(spark, cfg));
        }
        double[] sorted = floors.clone();
        java.util.Arrays.sort(sorted);
        floor = sorted[(rounds - 1) / 2]; // of an even count, the lower middle floor and the higher middle run
        List<Timed> byTotal = new ArrayList<>(runs);
        byTotal.sort(java.util.Comparator.comparingDouble(Timed::total));
        t = byTotal.get(rounds / 2);
        System.err.printf(Locale.ROOT, "%s: floor scans %s s, runs %s s (first run %.1f s)%n", c.name(),
            seconds(floors), seconds(runs.stream().mapToDouble(Timed::total).toArray()), first.total());
      }
      Pipeline.Result r = t.result();
      double total = t.total();
      long[] before = t.before();
      long[] after = t.after();
      long compiled = t.compiled();
      Map<String, String> row = new LinkedHashMap<>();
      row.put("case", c.name());
      row.put("models", String.valueOf(c.models()));
      row.put("items", String.valueOf(c.items()));
      row.put("dim", String.valueOf(c.dim()));
      row.put("options", String.join(" ", c.options()));
      row.put("floor s", String.format(Locale.ROOT, "%.2f", floor));
      for (String s : STAGES) {
        row.put(s + " s", String.format(Locale.ROOT, "%.1f", r.timings().getOrDefault(s, 0.0)));
      }
      row.put("total s", String.format(Locale.ROOT, "%.1f", total));
      for (String s : READING) {
        row.put(s + " ÷ floor", String.format(Locale.ROOT, "%.1f", r.timings().getOrDefault(s, 0.0) / floor));
      }
      row.put("total ÷ floor", String.format(Locale.ROOT, "%.1f", total / floor));
      if (first != null) {
        row.put("runs s", seconds(runs.stream().mapToDouble(Timed::total).toArray()));
        row.put("first run s", String.format(Locale.ROOT, "%.1f", first.total()));
        row.put("first run ÷ floor", String.format(Locale.ROOT, "%.1f", first.total() / floor));
        row.put("first run user s", ProcessStat.seconds(first.before(), first.after(), ProcessStat.USER));
        row.put("first run sys s", ProcessStat.seconds(first.before(), first.after(), ProcessStat.SYSTEM));
      }
      // What the run cost the process (Linux): CPU in user and kernel mode, page faults, and the
      // resident size at the end. Much kernel time with many faults means the run paid for fresh
      // memory, which this VM charges for unevenly (docs/performance.md): read its figures with that.
      row.put("run user s", ProcessStat.seconds(before, after, ProcessStat.USER));
      row.put("run sys s", ProcessStat.seconds(before, after, ProcessStat.SYSTEM));
      row.put("run page faults (M)", ProcessStat.millions(before, after, ProcessStat.FAULTS));
      // the JIT compilers' time in the run: a first run in a JVM compiles isrank's code, the floor's
      // timed scans run code its warm-up scan compiled
      row.put("run JIT s", compiled < 0 ? "" : String.format(Locale.ROOT, "%.1f", compiled / 1e3));
      row.put("resident GB", after == null ? "" : String.format(Locale.ROOT, "%.1f", after[ProcessStat.RESIDENT] / 1e9));
      long evalRows = r.pairs().get(0).rowsEval();
      int fits = (int) r.pairs().stream().map(p -> p.source().compareTo(p.target()) < 0
          ? p.source() + "|" + p.target() : p.target() + "|" + p.source()).distinct().count() + c.models();
      row.put("EM iterations (mean joint)", String.format(Locale.ROOT, "%.1f",
          r.pairs().stream().mapToInt(PairRow::iterations).average().orElse(0)));
      row.put("EM iterations (all fits)", String.valueOf(r.fits().stream().mapToInt(FitDiagnostics::work).sum()));
      row.put("held-out LL (mean of fits)", String.format(Locale.ROOT, "%.4f",
          r.fits().stream().mapToDouble(FitDiagnostics::heldOut).average().orElse(Double.NaN)));
      row.put("score rows/s", String.format(Locale.ROOT, "%.0f", evalRows / r.timings().get("score")));
      row.put("fits/s", String.format(Locale.ROOT, "%.2f", fits / r.timings().get("fit")));
      row.put("top model", r.ranking().get(0).model());
      row.put("kept dims", r.ranking().stream().map(x -> String.valueOf(x.reducedDim()))
          .collect(java.util.stream.Collectors.joining(" ")));
      table.add(row);
      System.err.println(row);
      write(out, List.of("dims", "fit", "defaults", "reading").contains(mode) ? "performance-" + mode
          : "performance-table", table);
      String engine = engineOf(c.options());
      if (engine != null) {
        byEngine.put(c.name() + "|" + engine, r);
        Pipeline.Result task = byEngine.get(c.name() + "|task");
        Pipeline.Result mllib = byEngine.get(c.name() + "|mllib");
        if (task != null && mllib != null) {
          engines.add(compare(c, task, mllib));
          System.err.println(engines.get(engines.size() - 1));
          write(out, mode.equals("fit") ? "performance-fit-engines" : "performance-engines", engines);
        }
      }
    }
    spark.stop();
  }

  private static List<Case> cases(String mode) {
    List<String> gaussian = List.of("--estimator.type", "gaussian");
    List<String> task = List.of("--estimator.type", "mixture", "--mixture.engine", "task");
    List<String> mllib = List.of("--estimator.type", "mixture", "--mixture.engine", "mllib",
        "--mixture.parallelism", "2");
    List<Case> cases = new ArrayList<>();
    String example = "datasets/example";
    List<String> ex = List.of("--split.fit-rows", "1500");
    List<Case> examples = List.of(
        new Case("example-gaussian", example, 5, 3000, 0, concat(ex, gaussian)),
        new Case("example-mixture", example, 5, 3000, 0, concat(ex, task)),
        new Case("example-mixture", example, 5, 3000, 0, concat(ex, mllib)));
    if (mode.equals("fit")) {
      // The zoo's fit stage at a fraction of its reading cost: 50,000 items give the same 20,000
      // fit rows of 8 × 16 reduced dimensions as 200,000 items × 384 dimensions.
      cases.add(new Case("zoo8x50k", null, 8, 50_000, 64, task));
      cases.add(new Case("zoo8x50k", null, 8, 50_000, 64, mllib));
      return cases;
    }
    if (mode.equals("defaults")) {
      // the old default (16 directions, raw held-out means) and the new one on the same inputs
      List<String> old = concat(gaussian, List.of("--reduce.dims", "16", "--estimator.bias-correction", "false"));
      cases.add(new Case("zoo8x200k", null, 8, 200_000, 384, old));
      cases.add(new Case("zoo8x200k", null, 8, 200_000, 384, gaussian));
      cases.add(new Case("models-16", null, 16, 50_000, 128, old));
      cases.add(new Case("models-16", null, 16, 50_000, 128, gaussian));
      return cases;
    }
    if (mode.equals("dims")) {
      for (int dim : new int[] {64, 256, 1024}) {
        cases.add(new Case("dims-" + dim, null, 4, 50_000, dim, gaussian));
      }
      return cases;
    }
    if (mode.equals("reading")) {
      // The reading path against the floor: the example, a small real-sized zoo, the two large
      // zoos, and rows from 100k to 1M at 8 x 128 (linear in rows?).
      cases.add(examples.get(0));
      cases.add(new Case("zoo11x6000", null, 11, 6_000, 384, gaussian));
      cases.add(new Case("zoo8x200k", null, 8, 200_000, 384, gaussian));
      for (long items : new long[] {100_000, 300_000, 1_000_000}) {
        cases.add(new Case("zoo8x" + (items / 1000) + "k", null, 8, items, 128, gaussian));
      }
      return cases;
    }
    if (mode.equals("quick")) {
      cases.addAll(examples);
      cases.add(new Case("zoo8x20k", null, 8, 20_000, 128, gaussian));
      cases.add(new Case("zoo8x20k", null, 8, 20_000, 128, task));
      return cases;
    }
    // full: the cases that matter most first, so that a run cut short still says the most.
    cases.add(new Case("zoo8x200k", null, 8, 200_000, 384, gaussian));
    cases.add(new Case("zoo8x200k", null, 8, 200_000, 384, task));
    cases.add(new Case("zoo8x200k", null, 8, 200_000, 384, mllib));
    for (long items : new long[] {10_000, 100_000, 1_000_000}) {
      cases.add(new Case("rows-" + items, null, 4, items, 64, gaussian));
    }
    for (int models : new int[] {4, 8, 16}) {
      cases.add(new Case("models-" + models, null, models, 50_000, 128, gaussian));
    }
    for (int dim : new int[] {64, 256, 1024}) {
      cases.add(new Case("dims-" + dim, null, 4, 50_000, dim, gaussian));
    }
    cases.addAll(examples);
    return cases;
  }

  private static String engineOf(List<String> options) {
    int i = options.indexOf("--mixture.engine");
    return options.contains("mixture") && i >= 0 ? options.get(i + 1) : null;
  }

  /**
   * The two mixture engines on the same case: fit-stage times and the held-out log-likelihood of
   * every density, compared fit by fit. A task-engine fit counts as at least as good when its
   * held-out mean log-density is no lower than MLlib's by more than two standard errors of the
   * difference (the two means are over the same held-out rows; their errors are combined as if
   * independent, which overstates the error of a paired difference and so is lenient to neither
   * engine in particular).
   */
  private static Map<String, String> compare(Case c, Pipeline.Result task, Pipeline.Result mllib) {
    Map<String, FitDiagnostics> theirs = new LinkedHashMap<>();
    mllib.fits().forEach(f -> theirs.put(f.density(), f));
    int asGood = 0;
    int better = 0;
    double worst = Double.POSITIVE_INFINITY;
    double sum = 0;
    for (FitDiagnostics f : task.fits()) {
      FitDiagnostics g = theirs.get(f.density());
      double diff = f.heldOut() - g.heldOut();
      double se = Math.hypot(f.heldOutError(), g.heldOutError());
      sum += diff;
      worst = Math.min(worst, diff / se);
      if (diff >= -2 * se) {
        asGood++;
      }
      if (diff > 2 * se) {
        better++;
      }
    }
    int n = task.fits().size();
    double taskFit = task.timings().get("fit");
    double mllibFit = mllib.timings().get("fit");
    Map<String, String> row = new LinkedHashMap<>();
    row.put("case", c.name());
    row.put("models", String.valueOf(c.models()));
    row.put("items", String.valueOf(c.items()));
    row.put("dim", String.valueOf(c.dim()));
    row.put("densities", String.valueOf(n));
    row.put("fit s (task)", String.format(Locale.ROOT, "%.2f", taskFit));
    row.put("fit s (mllib)", String.format(Locale.ROOT, "%.2f", mllibFit));
    row.put("speed-up", String.format(Locale.ROOT, "%.1f", mllibFit / taskFit));
    row.put("EM iterations (task)", String.valueOf(task.fits().stream().mapToInt(FitDiagnostics::work).sum()));
    row.put("EM iterations (mllib)", String.valueOf(mllib.fits().stream().mapToInt(FitDiagnostics::work).sum()));
    row.put("held-out LL task", String.format(Locale.ROOT, "%.4f",
        task.fits().stream().mapToDouble(FitDiagnostics::heldOut).average().orElse(Double.NaN)));
    row.put("held-out LL mllib", String.format(Locale.ROOT, "%.4f",
        mllib.fits().stream().mapToDouble(FitDiagnostics::heldOut).average().orElse(Double.NaN)));
    row.put("mean difference (nats/row)", String.format(Locale.ROOT, "%.4f", sum / n));
    row.put("task at least as good", asGood + "/" + n);
    row.put("task better", better + "/" + n);
    row.put("worst difference (SE)", String.format(Locale.ROOT, "%.1f", worst));
    row.put("same top model", String.valueOf(task.ranking().get(0).model().equals(mllib.ranking().get(0).model())));
    row.put("same ranking", String.valueOf(task.ranking().stream().map(x -> x.model()).toList()
        .equals(mllib.ranking().stream().map(x -> x.model()).toList())));
    return row;
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }

  /**
   * The floor: seconds for a plain Spark job to read every embedding value of the input and sum
   * them (no shuffle, no validation), through Spark's internal rows — what this machine needs just
   * to read the data. Timed right before the case it is the floor of, after one untimed warm-up:
   * the median of {@link #FLOOR_SCANS} scans.
   */
  static double floor(SparkSession spark, String input) {
    scan(spark, input);
    double[] seconds = new double[FLOOR_SCANS];
    for (int i = 0; i < FLOOR_SCANS; i++) {
      long start = System.nanoTime();
      double sum = scan(spark, input);
      seconds[i] = (System.nanoTime() - start) / 1e9;
      if (Double.isNaN(sum)) {
        System.err.println("(the floor scan's sum is NaN: the input holds NaN values)");
      }
    }
    java.util.Arrays.sort(seconds);
    System.err.printf(Locale.ROOT, "floor scans of %s: %s s%n", input, java.util.Arrays.stream(seconds)
        .mapToObj(x -> String.format(Locale.ROOT, "%.2f", x)).collect(java.util.stream.Collectors.joining(", ")));
    return seconds[FLOOR_SCANS / 2];
  }

  /** One timed run of the pipeline, with what it cost the process. */
  private record Timed(Pipeline.Result result, double total, long[] before, long[] after, long compiled) {}

  private static Timed timed(SparkSession spark, RunConfig cfg) {
    long[] before = ProcessStat.read();
    long compiledBefore = ProcessStat.compileMillis();
    long start = System.nanoTime();
    Pipeline.Result r = Pipeline.run(spark, cfg);
    double total = (System.nanoTime() - start) / 1e9;
    long[] after = ProcessStat.read();
    long compiled = compiledBefore < 0 ? -1 : ProcessStat.compileMillis() - compiledBefore;
    spark.catalog().clearCache();
    return new Timed(r, total, before, after, compiled);
  }

  private static double timedScan(SparkSession spark, String input) {
    long start = System.nanoTime();
    scan(spark, input);
    return (System.nanoTime() - start) / 1e9;
  }

  private static String seconds(double[] values) {
    return java.util.Arrays.stream(values).mapToObj(x -> String.format(Locale.ROOT, "%.2f", x))
        .collect(java.util.stream.Collectors.joining(" "));
  }

  /** Timed floor scans per case; the floor is their median (one scan moves by ±30 % on this machine). */
  static final int FLOOR_SCANS = 3;

  private static double scan(SparkSession spark, String input) {
    spark.sparkContext().setJobDescription("benchmark floor: plain scan of " + input);
    org.apache.spark.sql.Dataset<org.apache.spark.sql.Row> df = spark.read().parquet(input).select("embedding");
    boolean floats = df.schema().apply("embedding").dataType()
        .equals(org.apache.spark.sql.types.DataTypes.createArrayType(org.apache.spark.sql.types.DataTypes.FloatType));
    double sum = df.queryExecution().toRdd().toJavaRDD().mapPartitions(
        (java.util.Iterator<org.apache.spark.sql.catalyst.InternalRow> it) -> {
          double s = 0;
          while (it.hasNext()) {
            org.apache.spark.sql.catalyst.util.ArrayData a = it.next().getArray(0);
            int n = a.numElements();
            for (int j = 0; j < n; j++) {
              s += floats ? a.getFloat(j) : a.getDouble(j);
            }
          }
          return java.util.List.of(s).iterator();
        }).reduce(Double::sum);
    spark.sparkContext().setJobDescription(null);
    return sum;
  }

  private static String generate(SparkSession spark, Path work, Case c) {
    String dir = work.resolve(String.format("zoo-%dm-%di-%dd", c.models(), c.items(), c.dim())).toString();
    if (!Files.exists(Path.of(dir, "_SUCCESS"))) {
      long start = System.nanoTime();
      SyntheticZoo.generate(spark, c.models(), c.items(), c.dim(), 16, 7,
              (int) Math.max(2, c.items() * c.models() * c.dim() / 20_000_000L))
          .write().mode(SaveMode.Overwrite).parquet(dir);
      System.err.printf(Locale.ROOT, "generated %s in %.1fs%n", dir, (System.nanoTime() - start) / 1e9);
    }
    return dir;
  }

  private static void write(Path out, String name, List<Map<String, String>> table) throws IOException {
    // the flags that change the figures (heap, GC, JIT), not the module openings every run has
    String flags = java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .filter(a -> a.startsWith("-XX:") && !a.contains("IgnoreUnrecognized") || a.startsWith("-Xm"))
        .collect(java.util.stream.Collectors.joining(" "));
    String machine = String.format(Locale.ROOT, "Machine: %d cores, %.0f GiB max heap, Java %s, Spark %s, %s %s; "
        + "JVM flags: %s.", Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() / 1073741824.0,
        System.getProperty("java.version"), org.apache.spark.package$.MODULE$.SPARK_VERSION(),
        System.getProperty("os.name"), System.getProperty("os.arch"), flags.isEmpty() ? "none" : flags);
    ResultTable.write(out, name, machine, table);
  }
}
