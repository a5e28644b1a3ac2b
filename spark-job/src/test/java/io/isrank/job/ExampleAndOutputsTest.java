package io.isrank.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.isrank.error.IsrankException;
import io.isrank.testkit.ExampleGenerator;
import io.isrank.report.RankingRow;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/** The bundled example reproduces its known order, and the outputs honour their contract. */
class ExampleAndOutputsTest extends SparkTestBase {
  private static final String EXAMPLE = new File("../datasets/example").getAbsolutePath();

  private Pipeline.Result example;
  private Path exampleDir;

  /** The bundled example, run once for the tests that read its outputs. */
  private Pipeline.Result example() {
    if (example == null) {
      exampleDir = scratch.resolve("example-out");
      example = Pipeline.run(spark, config("--config", "../conf/example.conf", "--input", EXAMPLE,
          "--output", exampleDir.toString()));
    }
    return example;
  }

  @Test
  void bundledExampleRanksInItsKnownOrderWithSeparatedIntervals() {
    Pipeline.Result r = example();
    List<String> expected = ExampleGenerator.ZOO.stream().map(ExampleGenerator.ModelSpec::name).toList();
    assertEquals(expected, r.ranking().stream().map(RankingRow::model).toList());
    // The order is not a coin toss: each model's interval lies above the next one's.
    for (int i = 0; i + 1 < r.ranking().size(); i++) {
      assertTrue(r.ranking().get(i).lower() > r.ranking().get(i + 1).upper(), "interval overlap at " + i);
    }
  }

  @Test
  void everyTableIsWrittenWithItsColumnsAndTheRunThatWroteIt() throws Exception {
    Pipeline.Result r = example();
    Path dir = exampleDir;
    for (String f : List.of("ranking.csv", "pairs.csv", "run.json", "report.html", "_ISRANK_OUTPUT")) {
      assertTrue(Files.isRegularFile(dir.resolve(f)), f);
    }
    Dataset<Row> ranking = spark.read().parquet(dir.resolve("ranking").toString());
    assertEquals(List.of("run_id", "rank", "model", "informativeness", "lower", "upper", "mean_normalised_sufficiency",
        "median_tied", "targets", "dim", "reduced_dim", "explained_variance", "reduction", "entropy", "parameters",
        "ms_per_item", "model_bytes", "memory_bytes", "is_per_dim", "is_per_million_parameters", "is_per_ms",
        "is_per_model_megabyte", "is_per_memory_megabyte", "pareto_dim", "pareto_parameters", "pareto_ms",
        "pareto_model_bytes", "pareto_memory_bytes", "group", "strongest_target", "weakest_target", "best_simulator",
        "explanation"),
        List.of(ranking.columns()));
    assertEquals(5, ranking.count());
    Dataset<Row> pairs = spark.read().parquet(dir.resolve("pairs").toString());
    assertEquals(20, pairs.count());
    assertTrue(List.of(pairs.columns()).containsAll(List.of("source", "target", "sufficiency",
        "normalised_sufficiency", "standard_error", "target_entropy", "target_conditional_entropy", "iterations")));
    assertEquals(0, pairs.filter("isnan(sufficiency) OR isnan(standard_error)").count());
    List<String> csv = Files.readAllLines(dir.resolve("ranking.csv"));
    assertEquals(6, csv.size());
    assertTrue(csv.get(1).startsWith(r.runId() + ",1,alpha-12f,"), csv.get(1));
    assertEquals(List.of(r.runId()), ranking.select("run_id").distinct().as(org.apache.spark.sql.Encoders.STRING())
        .collectAsList(), "every row says which run wrote it");
    assertEquals(1, pairs.select("run_id").distinct().count());
  }

  @Test
  void runJsonSaysWhatTheRunDidInOneKeyStyle() throws Exception {
    example();
    JsonNode run = new ObjectMapper().readTree(exampleDir.resolve("run.json").toFile());
    assertEquals("complete", run.get("status").asText());
    assertEquals(42, run.get("seed").asLong());
    assertEquals(3000, run.at("/counts/noise/rows_read").asLong());
    assertEquals(3000, run.get("aligned").asLong());
    assertEquals(1500, run.at("/split/fit_rows").asLong());
    assertTrue(run.get("input").get("fingerprint").asText().startsWith("sha256:"));
    assertEquals(15, run.get("fits").size(), "5 marginals and 10 joints");
    // one key style: every field of the records in run.json is snake_case, and fits are named by model
    List<String> fitKeys = new java.util.ArrayList<>();
    run.get("fits").get(0).fieldNames().forEachRemaining(fitKeys::add);
    assertEquals(List.of("density", "components", "iterations", "log_likelihood", "converged", "seconds", "work",
        "held_out", "held_out_error"), fitKeys);
    run.at("/counts/noise").fieldNames().forEachRemaining(k -> assertTrue(k.matches("[a-z_]+"), k));
    List<String> densities = new java.util.ArrayList<>();
    run.get("fits").forEach(f -> densities.add(f.get("density").asText()));
    assertTrue(densities.contains("marginal alpha-12f") && densities.contains("joint alpha-12f × beta-9f"),
        densities.toString());
    assertTrue(run.get("timings_seconds").has("score"));
  }

  @Test
  void theReportNamesItsUnitsAndSaysWhetherEachRankIsAhead() throws Exception {
    Pipeline.Result r = example();
    String html = Files.readString(exampleDir.resolve("report.html"));
    assertTrue(html.contains("gamma-6f") && !html.contains("<script"));
    // the report says what its numbers are: IS in nats, the matrix the ranking uses in nats per
    // dimension of V, and (gaussian, target from the joint fit) that IS is symmetric and why
    assertTrue(html.contains("<h2>IS(U&rarr;V) in nats</h2>") && html.contains("id=\"matrix-normalised\"")
        && html.contains("nats per dimension of V"), "both matrices with their units");
    assertTrue(html.contains("<b>This matrix is symmetric</b>"), "the symmetric IS matrix is explained");
    List<String> versus = io.isrank.report.HtmlReport.versusNext(r.ranking());
    assertEquals("ahead", versus.get(0), "alpha's interval lies above beta's");
    assertEquals("&mdash;", versus.get(versus.size() - 1), "nothing after the last rank");
    for (int i = 0; i + 1 < r.ranking().size(); i++) {
      boolean apart = r.ranking().get(i).lower() > r.ranking().get(i + 1).upper();
      assertEquals(apart ? "ahead" : "tied within uncertainty", versus.get(i), "rank " + (i + 1));
    }
    assertTrue(html.contains("<td class=\"l\">" + versus.get(0) + "</td>"), "the table shows it");
  }

  @Test
  void anExistingOutputIsReplacedOnlyWhenAskedAndLeavesNoTemporaryFolder() throws Exception {
    Path dir = scratch.resolve("overwrite-out");
    String out = dir.toString();
    Pipeline.run(spark, config("--config", "../conf/example.conf", "--input", EXAMPLE, "--output", out,
        "--rank.bootstrap", "20"));
    long before = Files.getLastModifiedTime(dir.resolve("run.json")).toMillis();
    IsrankException e = assertThrows(IsrankException.class, () -> Pipeline.run(spark,
        config("--config", "../conf/example.conf", "--input", EXAMPLE, "--output", out)));
    assertTrue(e.getMessage().contains("already exists") && e.getMessage().contains("--overwrite"));
    assertEquals(before, Files.getLastModifiedTime(dir.resolve("run.json")).toMillis(), "left untouched");
    Pipeline.run(spark, config("--config", "../conf/example.conf", "--input", EXAMPLE, "--output", out,
        "--overwrite", "--rank.bootstrap", "0"));
    assertTrue(Files.readString(dir.resolve("ranking.csv")).lines().skip(1).allMatch(l -> l.contains(",,")),
        "the rerun replaced the tables: no intervals without bootstrap");
    try (var siblings = Files.list(dir.getParent())) {
      assertFalse(siblings.anyMatch(p -> p.getFileName().toString().contains("isrank-tmp")),
          "no temporary folder is left behind");
    }
  }

  @Test
  void historyTablesCollectEveryRunByDateWithItsRunId() throws Exception {
    String history = scratch.resolve("history").toString();
    Pipeline.Result first = Pipeline.run(spark, config("--config", "../conf/example.conf", "--input", EXAMPLE,
        "--output", scratch.resolve("h1").toString(), "--output.history", history, "--rank.bootstrap", "0"));
    Pipeline.Result second = Pipeline.run(spark, config("--config", "../conf/example.conf", "--input", EXAMPLE,
        "--output", scratch.resolve("h2").toString(), "--output.history", history, "--rank.bootstrap", "0",
        "--seed", "5"));
    Dataset<Row> ranking = spark.read().parquet(history + "/ranking");
    assertEquals(10, ranking.count());
    assertEquals(List.of(first.runId(), second.runId()), ranking.select("run_id").distinct().orderBy("run_id")
        .as(org.apache.spark.sql.Encoders.STRING()).collectAsList());
    assertEquals(1, ranking.select("run_date").distinct().count());
    assertEquals(40, spark.read().parquet(history + "/pairs").count());
    JsonNode run = new ObjectMapper().readTree(scratch.resolve("h2").resolve("run.json").toFile());
    assertEquals(second.runId(), run.get("run_id").asText());
  }

  @Test
  void aRunFailingBeforeTheWriteStageCreatesNothing() throws Exception {
    String input = write("one-row-each", List.of(row(1L, "a", 1.0, 2.0), row(1L, "b", 3.0, 4.0)), 1);
    String out = scratch.resolve("failed-out").toString();
    // fails in the split stage (too few items), after the output was checked and before anything was written
    assertThrows(IsrankException.class, () -> Pipeline.run(spark, config("--input", input, "--output", out)));
    assertFalse(new File(out).exists());
    try (var siblings = Files.list(scratch)) {
      assertFalse(siblings.anyMatch(p -> p.getFileName().toString().startsWith(".failed-out.")));
    }
  }

  /** A Parquet committer that fails every job: a full disk, a lost connection. */
  public static class FailingCommitter extends org.apache.parquet.hadoop.ParquetOutputCommitter {
    static final String MESSAGE = "FailingCommitter: no space left on device";

    public FailingCommitter(org.apache.hadoop.fs.Path out, org.apache.hadoop.mapreduce.TaskAttemptContext context)
        throws java.io.IOException {
      super(out, context);
    }

    @Override
    public void setupJob(org.apache.hadoop.mapreduce.JobContext context) throws java.io.IOException {
      throw new java.io.IOException(MESSAGE);
    }
  }

  @Test
  void aRunFailingWhileWritingRemovesItsHalfWrittenTemporaryFolder() throws Exception {
    String out = scratch.resolve("half-written").toString();
    String key = "spark.sql.parquet.output.committer.class";
    // the first table's Parquet write fails: after the temporary folder and its marker exist
    spark.conf().set(key, FailingCommitter.class.getName());
    Exception e;
    try {
      e = assertThrows(Exception.class, () -> Pipeline.run(spark, config("--config", "../conf/example.conf",
          "--input", EXAMPLE, "--output", out, "--rank.bootstrap", "0")));
    } finally {
      spark.conf().unset(key);
    }
    assertTrue(java.util.stream.Stream.iterate((Throwable) e, t -> t != null, Throwable::getCause)
        .anyMatch(t -> String.valueOf(t.getMessage()).contains(FailingCommitter.MESSAGE)), "the failure is the write's: " + e);
    assertFalse(new File(out).exists(), "no output that looks complete");
    try (var siblings = Files.list(scratch)) {
      assertFalse(siblings.anyMatch(p -> p.getFileName().toString().startsWith(".half-written.isrank-tmp-")),
          "the temporary folder it had written into is removed");
    }
  }

  @Test
  void restrictedSourcesAreRankedAgainstTheReferenceTargets() {
    String out = scratch.resolve("restricted").toString();
    Pipeline.Result r = Pipeline.run(spark, config("--config", "../conf/example.conf", "--input", EXAMPLE,
        "--output", out, "--rank.sources", "noise,beta-9f", "--rank.targets", "alpha-12f,gamma-6f,delta-3f",
        "--rank.bootstrap", "0"));
    assertEquals(List.of("beta-9f", "noise"), r.ranking().stream().map(RankingRow::model).toList());
    assertEquals(6, r.pairs().size());
    assertTrue(r.pairs().stream().allMatch(p -> List.of("alpha-12f", "gamma-6f", "delta-3f").contains(p.target())));
  }
}
