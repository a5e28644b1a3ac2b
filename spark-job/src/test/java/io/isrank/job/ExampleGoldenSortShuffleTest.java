package io.isrank.job;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * The example's kept numbers ({@link ExampleGoldenTest}) with the shuffle writer isrank's own
 * sessions use (the sort-based one, Sessions.shuffleDefaults) instead of Spark's bypass writer,
 * which the other tests run on: the writer decides only in what order a partition's blocks
 * arrive, and every pass orders them itself, so the numbers are the same.
 */
class ExampleGoldenSortShuffleTest extends ExampleGoldenTest {
  @Override
  protected SparkSession.Builder configure(SparkSession.Builder builder) {
    return builder.config("spark.shuffle.sort.bypassMergeThreshold", "0");
  }

  @Test
  void theSessionUsesTheSortBasedWriter() {
    // no shuffle of isrank's has fewer than one reduce partition, so none can take the bypass
    assertEquals("0", spark.sparkContext().getConf().get("spark.shuffle.sort.bypassMergeThreshold"));
  }
}
