package io.isrank.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.isrank.error.ConfigException;
import io.isrank.error.InputException;
import io.isrank.job.Cli;
import io.isrank.job.Pipeline;
import io.isrank.job.SparkTestBase;
import io.isrank.report.RankingRow;
import java.io.File;
import java.nio.file.Files;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/** The DataFrame API: the command line's ranking, from rows already in Spark, with no files written. */
class IsRankApiTest extends SparkTestBase {
  private static final String EXAMPLE = new File("../datasets/example").getAbsolutePath();

  @Test
  void aDataFrameIsRankedAsTheSameRowsReadFromFiles() throws Exception {
    // the example as a DataFrame of the long layout, reshuffled into other partitions
    Dataset<Row> rows = spark.read().parquet(EXAMPLE).select("id", "model", "embedding").repartition(3);
    long before;
    try (var files = Files.list(scratch)) {
      before = files.count();
    }
    IsRankResult api = IsRank.rank(rows, new IsRankOptions().bootstrap(0).seed(42));

    Pipeline.Result cli = Pipeline.run(spark, ((Cli.Run) Cli.parse("--input", EXAMPLE, "--output",
        scratch.resolve("cli").toString(), "--rank.bootstrap", "0", "--seed", "42")).config());
    List<Row> table = api.ranking().orderBy("rank").collectAsList();
    assertEquals(cli.ranking().size(), table.size());
    for (int i = 0; i < table.size(); i++) {
      RankingRow expected = cli.ranking().get(i);
      Row got = table.get(i);
      assertEquals(api.runId(), got.getString(0), "run_id leads the table");
      assertEquals(expected.model(), got.getAs("model"));
      // the same seed gives the same split and sums whatever the partitioning; only summation
      // order within a partition may differ, so the last bits may
      assertEquals(expected.informativeness(), (double) got.getAs("informativeness"), 1e-12);
    }
    assertEquals(20, api.pairs().count());
    assertNull(api.output(), "nothing written");
    assertNull(api.comparison());
    try (var files = Files.list(scratch)) {
      assertEquals(before + 1, files.count(), "only the command line's output folder appeared");
    }
  }

  @Test
  void optionsAreCheckedAndColumnsNamed() {
    Dataset<Row> rows = spark.read().parquet(EXAMPLE).withColumnRenamed("model", "encoder");
    ConfigException unknown = assertThrows(ConfigException.class,
        () -> IsRank.rank(rows, new IsRankOptions().set("reduce.dimz", "4")));
    assertEquals("unknown option 'reduce.dimz'; the options are the keys of conf/defaults.conf", unknown.getMessage());
    InputException noModel = assertThrows(InputException.class, () -> IsRank.rank(rows, new IsRankOptions()));
    assertTrue(noModel.getMessage().startsWith("the DataFrame has no model column 'model'; columns are [id, "),
        noModel.getMessage());
    IsRankResult named = IsRank.rank(rows, new IsRankOptions().modelColumn("encoder").bootstrap(0)
        .models(List.of("alpha-12f", "noise")));
    assertEquals(List.of("alpha-12f", "noise"), named.ranking().orderBy("rank").select("model")
        .as(Encoders.STRING()).collectAsList());
  }
}
