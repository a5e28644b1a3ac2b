package io.isrank.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * The tests' Spark: one local[2] session per test class, named after it and set up as the
 * embedded run sets up its own (few shuffle partitions, no adaptive execution, fair scheduling),
 * and a scratch folder removed with it. Test classes of every module extend it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class SparkTest {
  protected SparkSession spark;
  protected Path scratch;

  @BeforeAll
  void startSpark() throws IOException {
    spark = configure(SparkSession.builder().master("local[2]").appName(getClass().getSimpleName())
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.sql.adaptive.enabled", "false") // as the embedded run (Sessions.localDefaults)
        .config("spark.scheduler.mode", "FAIR"))
        .getOrCreate();
    scratch = Files.createTempDirectory("isrank-" + getClass().getSimpleName());
  }

  /**
   * Settings of a test class's own (the session is the class's: started before its first test,
   * stopped after its last). The tests run on Spark's defaults otherwise — for the shuffle writer
   * the bypass writer, where isrank's sessions choose the sort-based one (Sessions.shuffleDefaults).
   */
  protected SparkSession.Builder configure(SparkSession.Builder builder) {
    return builder;
  }

  /** Stops the session and removes the scratch folder (only the folder this class made). */
  @AfterAll
  void stopSpark() throws IOException {
    spark.stop();
    try (var files = Files.walk(scratch)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
