package io.isrank.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import org.apache.spark.sql.SparkSession;

/**
 * The tests' Spark: one local[2] session per test class, set up as the embedded run sets up its
 * own (few shuffle partitions, no adaptive execution, fair scheduling), and a scratch folder
 * removed with it. Each module's test base class calls this from its JUnit lifecycle methods.
 */
public final class TestSpark {
  private TestSpark() {}

  /** A local[2] session named after the test class, without the web UI. */
  public static SparkSession start(String name) {
    return SparkSession.builder().master("local[2]").appName(name)
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.sql.adaptive.enabled", "false") // as the embedded run (Sessions.localDefaults)
        .config("spark.scheduler.mode", "FAIR")
        .getOrCreate();
  }

  /** A new scratch folder for the test class's files. */
  public static Path scratch(String name) throws IOException {
    return Files.createTempDirectory("isrank-" + name);
  }

  /** Stops the session and removes the scratch folder (only the folder {@link #scratch} made). */
  public static void stop(SparkSession spark, Path scratch) throws IOException {
    spark.stop();
    try (var files = Files.walk(scratch)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
