package io.isrank.job;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.isrank.error.InputException;
import io.isrank.error.IsrankException;
import io.isrank.report.RankingRow;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * isrank against a real Hive metastore: Spark's Hive support with an embedded Derby metastore and
 * a warehouse in a temporary folder. Input from a catalog table partitioned by batch and model,
 * filtered to one batch; history appended to catalog tables and read back for the comparison.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HiveCatalogIT {
  private static final String EXAMPLE = new File("../datasets/example").getAbsolutePath();
  private SparkSession spark;
  private Path scratch;

  @BeforeAll
  void startSparkWithAMetastore() throws Exception {
    scratch = Files.createTempDirectory("isrank-hive");
    System.setProperty("derby.stream.error.file", scratch.resolve("derby.log").toString());
    spark = SparkSession.builder().master("local[2]").appName("HiveCatalogIT")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.sql.adaptive.enabled", "false")
        .config("spark.sql.warehouse.dir", scratch.resolve("warehouse").toString())
        .config("spark.hadoop.javax.jdo.option.ConnectionURL",
            "jdbc:derby:;databaseName=" + scratch.resolve("metastore_db") + ";create=true")
        .enableHiveSupport()
        .getOrCreate();
    assertEquals("hive", spark.conf().get("spark.sql.catalogImplementation"));
    spark.sql("CREATE DATABASE lake");
    spark.sql("CREATE DATABASE isrank");
    // batch 1 is the example; batch 2 adds rows for ids no other model has, which the filter keeps out
    org.apache.spark.sql.Dataset<Row> example = spark.read().parquet(EXAMPLE).select("id", "embedding", "model");
    example.withColumn("batch", lit(1))
        .unionByName(example.filter(col("model").equalTo("noise")).withColumn("id", col("id").plus(1_000_000))
            .withColumn("batch", lit(2)))
        .write().format("parquet").partitionBy("batch", "model").saveAsTable("lake.embeddings");
  }

  @AfterAll
  void stop() throws Exception {
    spark.stop();
    try (var files = Files.walk(scratch)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  private RunConfig config(String... args) {
    return ((Cli.Run) Cli.parse(args)).config();
  }

  @Test
  void aFilteredCatalogTableRanksAsTheFilesAndHistoryGoesToCatalogTables() {
    Pipeline.Result files = Pipeline.run(spark, config("--config", "../conf/example.conf", "--input", EXAMPLE,
        "--output", scratch.resolve("from-files").toString(), "--rank.bootstrap", "0"));
    Pipeline.Result first = Pipeline.run(spark, config("--config", "../conf/example.conf",
        "--input", "table:lake.embeddings", "--input.filter", "batch = 1", "--output",
        scratch.resolve("from-table").toString(), "--rank.bootstrap", "0", "--output.history", "table:isrank"));
    assertEquals(files.ranking().stream().map(RankingRow::model).toList(),
        first.ranking().stream().map(RankingRow::model).toList());
    for (int i = 0; i < files.ranking().size(); i++) {
      // the same rows and seed; only the partitioning of the read differs, so the last bits may
      assertEquals(files.ranking().get(i).informativeness(), first.ranking().get(i).informativeness(), 1e-12);
    }

    Pipeline.Result second = Pipeline.run(spark, config("--config", "../conf/example.conf",
        "--input", "table:lake.embeddings", "--input.filter", "batch = 1", "--output",
        scratch.resolve("from-table-2").toString(), "--rank.bootstrap", "0", "--seed", "5",
        "--output.history", "table:isrank"));
    for (String t : List.of("isrank_ranking", "isrank_pairs", "isrank_runs")) {
      assertTrue(spark.catalog().tableExists("isrank." + t), t + " is a catalog table");
    }
    assertEquals(List.of(first.runId(), second.runId()), spark.sql("SELECT run_id FROM isrank.isrank_runs ORDER BY "
        + "run_id").as(Encoders.STRING()).collectAsList());
    assertEquals(10, spark.sql("SELECT * FROM isrank.isrank_ranking r LEFT SEMI JOIN isrank.isrank_runs u "
        + "ON r.run_id = u.run_id").count());
    assertEquals(40, spark.table("isrank.isrank_pairs").count());
    assertEquals(List.of("run_date=" + java.time.LocalDate.now(java.time.ZoneOffset.UTC)),
        spark.sql("SHOW PARTITIONS isrank.isrank_ranking").as(Encoders.STRING()).collectAsList());
    assertEquals(first.runId(), second.comparison().baseline().runId(), "read back from the catalog tables");
    assertTrue(second.comparison().baseline().source().contains("table:isrank"));
    assertTrue(!second.comparison().fingerprintChanged(), "the same files of the table");
  }

  @Test
  void aMissingTableOrDatabaseIsNamed() {
    InputException e = assertThrows(InputException.class, () -> Pipeline.run(spark, config("--input",
        "table:lake.nope", "--output", scratch.resolve("never").toString())));
    assertTrue(e.getMessage().startsWith("input table 'lake.nope' cannot be read from the hive catalog: "
        + "[TABLE_OR_VIEW_NOT_FOUND]"), e.getMessage());
    InputException filter = assertThrows(InputException.class, () -> Pipeline.run(spark, config("--input",
        "table:lake.embeddings", "--input.filter", "day = 1", "--output", scratch.resolve("never").toString())));
    assertTrue(filter.getMessage().startsWith("input.filter 'day = 1' cannot be applied to input table "
        + "'lake.embeddings': "), filter.getMessage());
    assertTrue(filter.getMessage().endsWith("its columns are [id, embedding, batch, model]"), filter.getMessage());
    IsrankException history = assertThrows(IsrankException.class, () -> Pipeline.run(spark, config("--config",
        "../conf/example.conf", "--input", EXAMPLE, "--output", scratch.resolve("h").toString(),
        "--rank.bootstrap", "0", "--output.history", "table:nodb")));
    assertEquals("history database 'nodb' does not exist in the hive catalog; create it (CREATE DATABASE nodb) or "
        + "choose another output.history", history.getMessage(), "checked before the run starts");
    assertTrue(!Files.exists(scratch.resolve("h")), "so nothing was written");
  }
}
