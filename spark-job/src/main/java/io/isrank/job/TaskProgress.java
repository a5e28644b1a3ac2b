package io.isrank.job;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs the progress of a long pipeline stage from Spark's own task events: tasks finished of
 * tasks submitted, elapsed time and a linear ETA, at most once every {@code everySeconds}. Only
 * the stage's own Spark jobs count (recognised by the job description the pipeline sets).
 */
public final class TaskProgress extends SparkListener implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger("io.isrank");
  private final SparkContext sc;
  private final String label;
  private final String description;
  private final long everyNanos;
  private final long started = System.nanoTime();
  private final AtomicInteger submitted = new AtomicInteger();
  private final AtomicInteger finished = new AtomicInteger();
  private final AtomicLong lastLog = new AtomicLong(System.nanoTime());

  private TaskProgress(SparkContext sc, String label, String description, double everySeconds) {
    this.sc = sc;
    this.label = label;
    this.description = description;
    this.everyNanos = (long) (everySeconds * 1e9);
  }

  /** Starts listening for jobs with this description. */
  public static TaskProgress start(SparkContext sc, String label, String description, double everySeconds) {
    TaskProgress p = new TaskProgress(sc, label, description, everySeconds);
    sc.addSparkListener(p);
    return p;
  }

  private boolean ours(java.util.Properties props) {
    return props != null && description.equals(props.getProperty("spark.job.description"));
  }

  @Override
  public void onStageSubmitted(SparkListenerStageSubmitted event) {
    if (ours(event.properties())) {
      submitted.addAndGet(event.stageInfo().numTasks());
    }
  }

  @Override
  public void onTaskEnd(SparkListenerTaskEnd event) {
    if (event.taskInfo() == null || !event.taskInfo().successful()) {
      return;
    }
    int done = finished.incrementAndGet();
    long now = System.nanoTime();
    long last = lastLog.get();
    if (now - last >= everyNanos && lastLog.compareAndSet(last, now)) {
      int total = Math.max(submitted.get(), done);
      double elapsed = (now - started) / 1e9;
      double eta = elapsed / done * (total - done);
      LOG.info("{}: {}/{} tasks done; elapsed {}, ETA {} (for the Spark stages submitted so far)", label, done,
          total, Progress.seconds(elapsed), Progress.seconds(eta));
    }
  }

  @Override
  public void close() {
    sc.removeSparkListener(this);
  }
}
