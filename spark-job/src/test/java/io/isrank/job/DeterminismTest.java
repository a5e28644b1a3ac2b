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
}
