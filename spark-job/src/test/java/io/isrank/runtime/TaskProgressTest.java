package io.isrank.runtime;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.isrank.job.LogCapture;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.LongAccumulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A stage whose work is one long task still logs progress while the task runs, with the rows the
 * task has counted so far (from executor heartbeats) and an ETA.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TaskProgressTest {
  private SparkSession spark;

  @BeforeAll
  void start() {
    // heartbeats every 300 ms (10 s by default) so that a 4-second task reports several times
    spark = SparkSession.builder().master("local[1]").appName("TaskProgressTest").config("spark.ui.enabled", "false")
        .config("spark.executor.heartbeatInterval", "300ms").getOrCreate();
  }

  @AfterAll
  void stop() {
    spark.stop();
  }

  @Test
  void oneLongTaskReportsRowsDoneBeforeItEnds() {
    String description = "isrank test: one long task";
    spark.sparkContext().setJobDescription(description);
    String log;
    try (LogCapture capture = new LogCapture();
        TaskProgress progress = TaskProgress.start(spark.sparkContext(), "stage test", description, 1)) {
      LongAccumulator rows = progress.countRows("test rows", 200);
      new JavaSparkContext(spark.sparkContext()).parallelize(java.util.stream.IntStream.range(0, 200).boxed().toList(),
          1).foreach(i -> {
            Thread.sleep(20);
            rows.add(1);
          });
      log = capture.text();
    } finally {
      spark.sparkContext().setJobDescription(null);
    }
    Matcher m = Pattern.compile("stage test: 0/1 tasks done, (\\d+) of 200 test rows \\(\\d+%\\); elapsed [^,]+, "
        + "ETA (\\S+)").matcher(log);
    List<Integer> midTask = new java.util.ArrayList<>();
    while (m.find()) {
      int counted = Integer.parseInt(m.group(1));
      if (counted > 0 && counted < 200) {
        midTask.add(counted);
        assertTrue(m.group(2).endsWith("s"), "an ETA in time units once rows are counted: " + m.group());
      }
    }
    assertTrue(!midTask.isEmpty(), "rows were reported while the only task was running:\n" + log);
  }
}
