package io.isrank.embed;

import io.isrank.testkit.TestSpark;
import java.io.IOException;
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
    spark = TestSpark.start(getClass().getSimpleName());
    scratch = TestSpark.scratch(getClass().getSimpleName());
  }

  @AfterAll
  void stopSpark() throws IOException {
    TestSpark.stop(spark, scratch);
  }
}
