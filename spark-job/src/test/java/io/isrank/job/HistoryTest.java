package io.isrank.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.isrank.error.IsrankException;
import io.isrank.report.Comparison;
import io.isrank.report.RankingRow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The history tables as a reader meets them: a later run compares itself with the last complete
 * run, runs may append at the same time without losing rows, and a run that fails while appending
 * leaves nothing of itself in the history.
 */
class HistoryTest extends SparkTestBase {
  private String input;
  private String resampled;

  @BeforeAll
  void inputs() {
    // four models of 3 dims: a and b share much, c and d a little, so ranks are well apart
    double[][] cov = new double[12][12];
    for (int i = 0; i < 12; i++) {
      cov[i][i] = 1;
    }
    for (int i = 0; i < 3; i++) {
      cov[i][3 + i] = cov[3 + i][i] = 0.85;
      cov[i][6 + i] = cov[6 + i][i] = 0.3;
      cov[3 + i][9 + i] = cov[9 + i][3 + i] = 0.2;
    }
    String[] names = {"a", "b", "c", "d"};
    int[] offsets = {0, 3, 6, 9, 12};
    input = write("history-input", gaussianModels(names, offsets, cov, 1500, 1), 2);
    resampled = write("history-input-2", gaussianModels(names, offsets, cov, 1500, 2), 2);
  }

  private Pipeline.Result run(String in, String out, String history, String... more) {
    List<String> args = new java.util.ArrayList<>(List.of("--input", in, "--output", scratch.resolve(out).toString(),
        "--reduce.dims", "3", "--rank.bootstrap", "50"));
    if (history != null) {
      args.addAll(List.of("--output.history", history));
    }
    args.addAll(List.of(more));
    return Pipeline.run(spark, config(args.toArray(new String[0])));
  }

  private static Map<String, RankingRow> byModel(Pipeline.Result r) {
    return r.ranking().stream().collect(Collectors.toMap(RankingRow::model, x -> x));
  }

  @Test
  void aSecondRunComparesItselfWithTheFirstThroughTheHistory() throws Exception {
    String history = scratch.resolve("compare-history").toString();
    Pipeline.Result first = run(input, "c1", history, "--input.models", "a,b,c");
    assertNull(first.comparison(), "nothing to compare the first run with");
    Pipeline.Result second = run(input, "c2", history, "--input.models", "a,b,d");

    Comparison.Result c = second.comparison();
    assertEquals(first.runId(), c.baseline().runId());
    assertFalse(c.fingerprintChanged(), "the same input files");
    Map<String, RankingRow> before = byModel(first);
    Map<String, RankingRow> now = byModel(second);
    for (Comparison.Row row : c.rows()) {
      switch (row.model()) {
        case "a", "b" -> {
          assertEquals("kept", row.status());
          assertEquals(before.get(row.model()).rank(), row.previousRank());
          assertEquals(now.get(row.model()).rank(), row.rank());
          assertEquals(row.previousRank() - row.rank(), row.rankMove());
          assertEquals(now.get(row.model()).informativeness() - before.get(row.model()).informativeness(),
              row.delta(), 1e-15);
        }
        case "d" -> assertEquals("added", row.status());
        case "c" -> assertEquals("removed", row.status());
        default -> throw new AssertionError(row.model());
      }
    }
    assertEquals(4, c.rows().size());

    // the comparison is an output too: a table and a section of the report
    Dataset<Row> table = spark.read().parquet(scratch.resolve("c2").resolve("comparison").toString());
    assertEquals(List.of(second.runId()), table.select("run_id").distinct().as(Encoders.STRING()).collectAsList());
    assertEquals(Set.of("a:kept", "b:kept", "c:removed", "d:added"), new HashSet<>(table
        .selectExpr("concat(model, ':', status)").as(Encoders.STRING()).collectAsList()));
    String html = Files.readString(scratch.resolve("c2").resolve("report.html"));
    assertTrue(html.contains("id=\"comparison\"") && html.contains(first.runId()));
    assertTrue(Files.readString(scratch.resolve("c2").resolve("run.json")).contains("\"compared_with\""));

    // --compare-with an earlier output folder, on other data: the input changed
    Pipeline.Result third = run(resampled, "c3", null, "--input.models", "a,b,d", "--compare-with",
        scratch.resolve("c2").toString());
    assertEquals(second.runId(), third.comparison().baseline().runId());
    assertTrue(third.comparison().fingerprintChanged());
    assertEquals(3, third.comparison().count("kept"));
    assertTrue(third.comparison().rows().stream().allMatch(r -> r.deltaLower() != null && r.change() != null),
        "both runs have bootstrap intervals, so every change has one and a verdict");
  }

  @Test
  void compareWithAFolderThatIsNoOutputFailsAtOnce() throws Exception {
    Path notOutput = Files.createDirectories(scratch.resolve("just-a-folder"));
    IsrankException e = assertThrows(IsrankException.class, () -> run(input, "never", null, "--compare-with",
        notOutput.toString()));
    assertEquals("compare-with '" + notOutput + "' is not an isrank output: it has no run.json; name the output "
        + "folder of an earlier run", e.getMessage());
    assertFalse(Files.exists(scratch.resolve("never")), "the run stopped before writing anything");
  }

  @Test
  void anUnreadableHistoryCostsTheComparisonNotTheRun() throws Exception {
    Path history = Files.createDirectories(scratch.resolve("unreadable-history").resolve("ranking"));
    Files.writeString(history.resolve("part-0.parquet"), "not parquet at all");
    Pipeline.Result s = run(input, "u2", history.getParent().toString());
    assertNull(s.comparison(), "nothing to compare with");
    assertTrue(s.warnings().stream().anyMatch(w -> w.startsWith("no comparison with the earlier run: reading the "
        + "history '" + history.getParent() + "' for the comparison failed: ")), s.warnings().toString());
    assertTrue(Files.exists(scratch.resolve("u2").resolve("run.json")), "the run's outputs are complete");
  }

  @Test
  void anotherRunsStagingFolderIsLeftAlone() throws Exception {
    Path history = Files.createDirectories(scratch.resolve("busy-history"));
    Path theirs = Files.createDirectories(history.resolve("_isrank_staging").resolve("20261202-000000-abcdef"));
    Files.writeString(theirs.resolve("part-0.parquet"), "another run's staged file");
    IsrankException e = assertThrows(IsrankException.class, () -> io.isrank.report.History.append(spark,
        history.toString(), "20261202-000000-abcdef", "2026-12-02", List.of(), List.of(),
        new io.isrank.report.History.RunRow("s", "f", "v", "in", "fp", 0, "gaussian", "dim", 1, "out")));
    assertTrue(e.getMessage().contains("another run with the same run id is appending"), e.getMessage());
    assertEquals("another run's staged file", Files.readString(theirs.resolve("part-0.parquet")),
        "a staging folder this run did not create is not removed");
    assertFalse(Files.exists(history.resolve("ranking")), "and nothing reached the tables");
  }

  @Test
  void runsAppendingAtOnceAllLandWhole() throws Exception {
    String history = scratch.resolve("shared-history").toString();
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Future<Pipeline.Result> one = pool.submit(() -> run(input, "p1", history));
      Future<Pipeline.Result> two = pool.submit(() -> run(resampled, "p2", history));
      List<String> ids = List.of(one.get(10, TimeUnit.MINUTES).runId(), two.get(10, TimeUnit.MINUTES).runId());
      Set<String> expected = new HashSet<>(ids);
      assertEquals(2, expected.size());
      Dataset<Row> runs = spark.read().parquet(history + "/runs");
      assertEquals(expected, new HashSet<>(runs.select("run_id").as(Encoders.STRING()).collectAsList()));
      Dataset<Row> ranking = spark.read().parquet(history + "/ranking");
      Dataset<Row> pairs = spark.read().parquet(history + "/pairs");
      for (String id : ids) {
        assertEquals(4, ranking.filter(ranking.col("run_id").equalTo(id)).count(), "run " + id + ": every model");
        assertEquals(12, pairs.filter(pairs.col("run_id").equalTo(id)).count(), "run " + id + ": every direction");
      }
      assertFalse(Files.exists(Path.of(history, "_isrank_staging").resolve(ids.get(0))), "staging is cleaned up");
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aFailedAppendLeavesNothingOfTheRunAndTheUsersFileAlone() throws Exception {
    Path history = Files.createDirectories(scratch.resolve("broken-history"));
    Path mine = Files.writeString(history.resolve("pairs"), "a file of the user's, where the pairs table would go");
    IsrankException e = assertThrows(IsrankException.class, () -> run(input, "f1", history.toString()));
    String date = java.time.LocalDate.now(java.time.ZoneOffset.UTC).toString();
    assertEquals("the run's outputs are complete in '" + scratch.resolve("f1") + "', but appending this run to the "
        + "history table '" + history + "/pairs' failed: '" + history.toUri().toString().replace("file:///", "file:/")
        + "pairs' is a file, not a table folder; it was left as it is; nothing of this run was left in the history "
        + "tables", e.getMessage(), "(run_date " + date + ")");
    assertEquals("a file of the user's, where the pairs table would go", Files.readString(mine));
    assertTrue(Files.exists(scratch.resolve("f1").resolve("run.json")), "the run's own outputs are complete");
    assertFalse(Files.exists(history.resolve("ranking")), "the ranking it had moved in is gone again, folders too");
    assertFalse(Files.exists(history.resolve("runs")));
  }
}
