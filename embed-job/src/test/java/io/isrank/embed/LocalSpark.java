package io.isrank.embed;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/** One local[2] SparkSession and a scratch folder per test class. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class LocalSpark {
  protected SparkSession spark;
  protected Path scratch;

  @BeforeAll
  void startSpark() throws IOException {
    spark = SparkSession.builder().master("local[2]").appName(getClass().getSimpleName())
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .getOrCreate();
    scratch = Files.createTempDirectory("isrank-" + getClass().getSimpleName());
  }

  @AfterAll
  void stopSpark() throws IOException {
    spark.stop();
    try (var files = Files.walk(scratch)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
