package io.isrank.bench;

import io.isrank.example.SyntheticZoo;
import io.isrank.job.Cli;
import io.isrank.job.Pipeline;
import io.isrank.job.RunConfig;
import io.isrank.report.PairRow;
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
 * <p>Usage: Benchmark quick|full|dims OUTPUT_DIR WORK_DIR ({@code dims}: only the dimension sweep,
 * written to performance-dims.md/csv)
 */
public final class Benchmark {
  private static final List<String> STAGES = List.of("load", "validate", "split", "reduce", "align", "fit", "score",
      "rank", "write");

  private record Case(String name, String input, int models, long items, int dim, List<String> options) {}

  private Benchmark() {}

  public static void main(String[] args) throws IOException {
    String mode = args.length > 0 ? args[0] : "quick";
    Path out = Path.of(args.length > 1 ? args[1] : "docs");
    Path work = Path.of(args.length > 2 ? args[2] : "/tmp/isrank-bench");
    SparkSession spark = SparkSession.builder().appName("isrank benchmark").master("local[*]")
        .config("spark.ui.enabled", "false").config("spark.scheduler.mode", "FAIR")
        .config("spark.sql.shuffle.partitions", String.valueOf(2 * Runtime.getRuntime().availableProcessors()))
        .getOrCreate();
    List<Case> cases = cases(mode);
    List<Map<String, String>> table = new ArrayList<>();
    for (Case c : cases) {
      String input = c.input() != null ? c.input() : generate(spark, work, c);
      List<String> argv = new ArrayList<>(List.of("--input", input, "--output", work.resolve("out-" + c.name())
          .toString(), "--overwrite"));
      argv.addAll(c.options());
      RunConfig cfg = ((Cli.Run) Cli.parse(argv.toArray(new String[0]))).config();
      System.err.printf(Locale.ROOT, "%n=== %s: %s%n", c.name(), String.join(" ", c.options()));
      long start = System.nanoTime();
      Pipeline.Result r = Pipeline.run(spark, cfg);
      double total = (System.nanoTime() - start) / 1e9;
      spark.catalog().clearCache();
      Map<String, String> row = new LinkedHashMap<>();
      row.put("case", c.name());
      row.put("models", String.valueOf(c.models()));
      row.put("items", String.valueOf(c.items()));
      row.put("dim", String.valueOf(c.dim()));
      row.put("options", String.join(" ", c.options()));
      for (String s : STAGES) {
        row.put(s + " s", String.format(Locale.ROOT, "%.1f", r.timings().getOrDefault(s, 0.0)));
      }
      row.put("total s", String.format(Locale.ROOT, "%.1f", total));
      long evalRows = r.pairs().get(0).rowsEval();
      int fits = (int) r.pairs().stream().map(p -> p.source().compareTo(p.target()) < 0
          ? p.source() + "|" + p.target() : p.target() + "|" + p.source()).distinct().count() + c.models();
      row.put("EM iterations (mean joint)", String.format(Locale.ROOT, "%.1f",
          r.pairs().stream().mapToInt(PairRow::iterations).average().orElse(0)));
      row.put("score rows/s", String.format(Locale.ROOT, "%.0f", evalRows / r.timings().get("score")));
      row.put("fits/s", String.format(Locale.ROOT, "%.2f", fits / r.timings().get("fit")));
      row.put("top model", r.ranking().get(0).model());
      table.add(row);
      System.err.println(row);
      write(out, mode.equals("dims") ? "performance-dims" : "performance-table", table);
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
        new Case("example-mixture-task", example, 5, 3000, 0, concat(ex, task)),
        new Case("example-mixture-mllib", example, 5, 3000, 0, concat(ex, mllib)));
    if (mode.equals("dims")) {
      for (int dim : new int[] {64, 256, 1024}) {
        cases.add(new Case("dims-" + dim, null, 4, 50_000, dim, gaussian));
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
    for (int models : new int[] {4, 16}) {
      cases.add(new Case("models-" + models, null, models, 50_000, 128, gaussian));
    }
    for (int dim : new int[] {64, 256, 1024}) {
      cases.add(new Case("dims-" + dim, null, 4, 50_000, dim, gaussian));
    }
    cases.addAll(examples);
    return cases;
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
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
    String machine = String.format(Locale.ROOT, "Machine: %d cores, %.0f GiB max heap, Java %s, Spark %s, %s %s.",
        Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() / 1073741824.0,
        System.getProperty("java.version"), org.apache.spark.package$.MODULE$.SPARK_VERSION(),
        System.getProperty("os.name"), System.getProperty("os.arch"));
    ResultTable.write(out, name, machine, table);
  }
}
