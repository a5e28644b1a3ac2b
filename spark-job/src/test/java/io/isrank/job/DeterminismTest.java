package io.isrank.job;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.isrank.testkit.ExampleGenerator;
import java.util.List;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/**
 * A fixed seed gives the same numbers, to the last bit, whatever the input's file layout and the
 * number of shuffle partitions: the fit and scoring passes use a canonical partitioning that
 * depends on the data and configuration only.
 */
class DeterminismTest extends SparkTestBase {
  private Pipeline.Result run(String input, String out, int shufflePartitions, String... extra) {
    spark.conf().set("spark.sql.shuffle.partitions", String.valueOf(shufflePartitions));
    String[] base = {"--input", input, "--output", scratch.resolve(out).toString(), "--split.fit-rows", "800",
        "--split.rows-per-partition", "1000", "--reduce.dims", "6", "--rank.bootstrap", "50"};
    String[] args = java.util.stream.Stream.concat(java.util.Arrays.stream(base), java.util.Arrays.stream(extra))
        .toArray(String[]::new);
    return Pipeline.run(spark, config(args));
  }

  @Test
  void sameSeedSameNumbersOnAnyPartitioning() {
    List<Row> rows = ExampleGenerator.rows(ExampleGenerator.ZOO.subList(1, 5), 2500, 11);
    String oneFile = write("one", rows.stream().map(r -> row(r.getLong(0), r.getString(1),
        ((List<?>) r.get(2)).stream().map(x -> ((Float) x).doubleValue()).toArray(Double[]::new))).toList(), 1);
    String sevenFiles = write("seven", rows.stream().map(r -> row(r.getLong(0), r.getString(1),
        ((List<?>) r.get(2)).stream().map(x -> ((Float) x).doubleValue()).toArray(Double[]::new))).toList(), 7);
    Pipeline.Result a = run(oneFile, "a", 2);
    Pipeline.Result b = run(sevenFiles, "b", 9);
    assertEquals(a.ranking(), b.ranking());
    assertEquals(a.pairs(), b.pairs());
    Pipeline.Result c = run(oneFile, "c", 2, "--seed", "43");
    assertEquals(false, a.pairs().equals(c.pairs()), "another seed draws another split");
  }

  @Test
  void theFitSampleReadFromTheInputGivesTheNumbersOfTheOneTheScanKept() {
    // The validation scan keeps rows under a key threshold sized for models that share their ids;
    // here each model also lists 7,500 ids of its own, so the fit sample's keys run past that
    // threshold and the reduction reads the input for it instead. The numbers depend only on the
    // aligned items, so they must equal — to the bit — those of the same input without the extra
    // ids, where the scan's kept rows are used.
    List<Row> shared = ExampleGenerator.rows(ExampleGenerator.ZOO.subList(1, 5), 2500, 11).stream()
        .map(r -> row(r.getLong(0), r.getString(1),
            ((List<?>) r.get(2)).stream().map(x -> ((Float) x).doubleValue()).toArray(Double[]::new))).toList();
    List<Row> withOwnIds = new java.util.ArrayList<>(shared);
    java.util.Random random = new java.util.Random(5);
    for (Row r : shared) {
      if (r.getLong(0) < 1875) { // 1,875 items × 4 own copies = 7,500 ids per model, none shared
        for (int copy = 0; copy < 4; copy++) {
          Double[] v = ((List<?>) r.get(2)).stream().map(x -> (Double) x + random.nextGaussian())
              .toArray(Double[]::new);
          long own = 1_000_000L * (1 + r.getString(1).hashCode() % 7 + 7) + 10 * r.getLong(0) + copy;
          withOwnIds.add(row(own, r.getString(1), v));
        }
      }
    }
    Pipeline.Result kept;
    Pipeline.Result read;
    String keptLog;
    String readLog;
    try (LogCapture log = new LogCapture()) {
      kept = run(write("shared", shared, 3), "kept", 4);
      keptLog = log.text();
    }
    try (LogCapture log = new LogCapture()) {
      read = run(write("own-ids", withOwnIds, 3), "read", 4);
      readLog = log.text();
    }
    String fallback = "the fit sample was not kept by the validation scan";
    assertEquals(false, keptLog.contains(fallback), "the scan's rows are used when the ids are shared");
    assertEquals(true, readLog.contains(fallback), "the input is read when the fit keys pass the threshold");
    assertEquals(kept.pairs(), read.pairs());
    assertEquals(kept.ranking().stream().map(RankingRowKey::of).toList(),
        read.ranking().stream().map(RankingRowKey::of).toList());
  }

  /** What a ranking row says about the models' information (not the row counts, which differ here). */
  private record RankingRowKey(String model, double score, int reducedDim) {
    static RankingRowKey of(io.isrank.report.RankingRow r) {
      return new RankingRowKey(r.model(), r.informativeness(), r.reducedDim());
    }
  }
}
