package io.isrank.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.isrank.job.SparkTestBase;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.junit.jupiter.api.Test;

/**
 * Rows per model: from the Parquet footers where each file's model is known, estimated from the model
 * column's dictionaries in the long layout, counted by Spark when a filter drops rows.
 */
class RowsPerModelTest extends SparkTestBase {

  private static List<Row> rows(String model, int n) {
    List<Row> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(row((long) i, model, 0.5 * i, 1.0));
    }
    return out;
  }

  private EmbeddingSource.Loaded load(String dir, String... extra) {
    List<String> args = new ArrayList<>(List.of("--input", dir, "--output", "unused"));
    args.addAll(List.of(extra));
    return EmbeddingSource.load(spark, config(args.toArray(new String[0])).input());
  }

  private String partitioned(String name) {
    List<Row> all = new ArrayList<>(rows("a", 120));
    all.addAll(rows("b", 75));
    all.addAll(rows("c%2Fd", 9)); // a name Hive escapes in the folder name
    String dir = scratch.resolve(name).toString();
    spark.createDataFrame(all, longSchema()).repartition(3).write().mode(SaveMode.Overwrite).partitionBy("model")
        .parquet(dir);
    return dir;
  }

  @Test
  void aPartitionedInputIsCountedFromItsFootersWithoutASparkJob() {
    EmbeddingSource.Loaded loaded = load(partitioned("parts"));
    assertEquals(3, loaded.filesByModel().size());
    assertTrue(loaded.filesByModel().get("a").size() >= 2, "model a is in several files: " + loaded.filesByModel());
    int jobsBefore = spark.sparkContext().statusTracker().getJobIdsForGroup(null).length;
    assertEquals(Map.of("a", 120L, "b", 75L, "c%2Fd", 9L), Map.copyOf(loaded.rowsPerModel()));
    assertEquals(jobsBefore, spark.sparkContext().statusTracker().getJobIdsForGroup(null).length, "no Spark job");
  }

  @Test
  void withAFilterSparkCountsTheRowsRead() {
    EmbeddingSource.Loaded filtered = load(partitioned("filtered"), "--input.filter", "id < 50");
    assertEquals(Map.of(), filtered.filesByModel(), "a filter drops rows the footers count");
    int jobsBefore = spark.sparkContext().statusTracker().getJobIdsForGroup(null).length;
    assertEquals(Map.of("a", 50L, "b", 50L, "c%2Fd", 9L), Map.copyOf(filtered.rowsPerModel()));
    assertTrue(spark.sparkContext().statusTracker().getJobIdsForGroup(null).length > jobsBefore, "a Spark job");

    List<Row> all = new ArrayList<>(rows("a", 30));
    all.addAll(rows("b", 20));
    EmbeddingSource.Loaded longFiltered = load(write("long-filtered", all, 2), "--input.filter", "id < 25");
    assertEquals(Map.of("a", 25L, "b", 20L), Map.copyOf(longFiltered.rowsPerModel()));
  }

  @Test
  void theLongLayoutIsEstimatedFromTheModelColumnsDictionariesWithoutASparkJob() {
    // Files written a model at a time: every row group's dictionary holds one name, so the
    // footers give the exact counts.
    String grouped = scratch.resolve("long-grouped").toString();
    spark.createDataFrame(rows("a", 30), longSchema()).coalesce(1).write().mode(SaveMode.Overwrite).parquet(grouped);
    spark.createDataFrame(rows("b", 20), longSchema()).coalesce(1).write().mode(SaveMode.Append).parquet(grouped);
    EmbeddingSource.Loaded exact = load(grouped);
    assertEquals(Map.of(), exact.filesByModel());
    int jobsBefore = spark.sparkContext().statusTracker().getJobIdsForGroup(null).length;
    assertEquals(Map.of("a", 30L, "b", 20L), Map.copyOf(exact.rowsPerModel()));
    assertEquals(jobsBefore, spark.sparkContext().statusTracker().getJobIdsForGroup(null).length, "no Spark job");

    // Models interleaved in every row group: each group's rows are shared among the names in its
    // dictionary — an estimate (25 and 25 for 30 and 20) that keeps the total and the models.
    List<Row> all = new ArrayList<>(rows("a", 30));
    all.addAll(rows("b", 20));
    EmbeddingSource.Loaded mixed = load(write("long-mixed", all, 2));
    jobsBefore = spark.sparkContext().statusTracker().getJobIdsForGroup(null).length;
    Map<String, Long> estimate = mixed.rowsPerModel();
    assertEquals(java.util.Set.of("a", "b"), estimate.keySet());
    assertEquals(50L, estimate.values().stream().mapToLong(Long::longValue).sum());
    assertEquals(jobsBefore, spark.sparkContext().statusTracker().getJobIdsForGroup(null).length, "no Spark job");

    // input.models keeps the estimate to the models of the run
    assertEquals(Map.of("b", 20L), Map.copyOf(load(grouped, "--input.models", "b").rowsPerModel()));
  }
}
