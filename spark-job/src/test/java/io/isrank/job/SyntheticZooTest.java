package io.isrank.job;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.isrank.testkit.SyntheticZoo;
import java.util.List;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/** The benchmark's generated zoo: the right shape, and the same rows however it is partitioned. */
class SyntheticZooTest extends SparkTestBase {
  @Test
  void rowsDependOnIdAndSeedNotOnPartitioning() {
    List<Row> a = SyntheticZoo.generate(spark, 3, 50, 8, 4, 7, 1).orderBy("id", "model").collectAsList();
    List<Row> b = SyntheticZoo.generate(spark, 3, 50, 8, 4, 7, 5).orderBy("id", "model").collectAsList();
    assertEquals(150, a.size());
    assertEquals(8, a.get(0).getList(2).size());
    assertEquals(a, b);
    assertEquals(List.of("m00-4f", "m01-2f", "m02-0f"), a.subList(0, 3).stream().map(r -> r.getString(1)).toList());
  }
}
