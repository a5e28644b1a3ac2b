package io.isrank.runtime;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.AccumulableInfo;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorMetricsUpdate;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.util.LongAccumulator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple4;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Logs the progress of a long pipeline stage every {@code everySeconds} while it runs: tasks
 * finished of tasks submitted, elapsed time and an ETA. Only the stage's own Spark jobs count
 * (recognised by the job description the pipeline sets).
 *
 * <p>A stage whose work is a few long tasks (the reduction of a 4,096-dimension model is one task
 * summing d² products per row for minutes) also counts rows with {@link #countRows}: tasks add to
 * a Spark accumulator, whose values in running tasks reach the driver with the executors'
 * heartbeats (every {@code spark.executor.heartbeatInterval}, 10 s by default), so the log shows
 * rows done of rows expected and an ETA from them before any task has finished.
 */
public final class TaskProgress extends SparkListener implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger("io.isrank");
  private final SparkContext sc;
  private final String label;
  private final String description;
  private final long started = System.nanoTime();
  private final AtomicInteger submitted = new AtomicInteger();
  private final AtomicInteger finished = new AtomicInteger();
  private final Set<Integer> stages = ConcurrentHashMap.newKeySet();
  /** Rows counted so far by running tasks (task id → value), from heartbeats. */
  private final Map<Long, Long> runningRows = new ConcurrentHashMap<>();
  private final ScheduledExecutorService timer;
  private volatile LongAccumulator rows;
  private volatile String rowsWhat;
  private volatile long rowsExpected;

  private TaskProgress(SparkContext sc, String label, String description, double everySeconds) {
    this.sc = sc;
    this.label = label;
    this.description = description;
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "isrank-progress");
      t.setDaemon(true);
      return t;
    });
    long every = Math.max(1, Math.round(everySeconds * 1000));
    timer.scheduleAtFixedRate(this::report, every, every, TimeUnit.MILLISECONDS);
  }

  /** Starts listening for jobs with this description, and logging every {@code everySeconds}. */
  public static TaskProgress start(SparkContext sc, String label, String description, double everySeconds) {
    TaskProgress p = new TaskProgress(sc, label, description, everySeconds);
    sc.addSparkListener(p);
    return p;
  }

  /**
   * A counter the stage's tasks add their processed rows to; progress is then logged as rows done
   * of {@code expected} ({@code what}: what a row is, e.g. "fit rows summed").
   */
  public LongAccumulator countRows(String what, long expected) {
    LongAccumulator acc = sc.longAccumulator("isrank progress: " + what);
    rowsWhat = what;
    rowsExpected = expected;
    rows = acc;
    return acc;
  }

  private boolean ours(java.util.Properties props) {
    return props != null && description.equals(props.getProperty("spark.job.description"));
  }

  @Override
  public void onStageSubmitted(SparkListenerStageSubmitted event) {
    if (ours(event.properties())) {
      stages.add(event.stageInfo().stageId());
      submitted.addAndGet(event.stageInfo().numTasks());
    }
  }

  @Override
  public void onExecutorMetricsUpdate(SparkListenerExecutorMetricsUpdate event) {
    LongAccumulator acc = rows;
    if (acc == null) {
      return;
    }
    for (Tuple4<Object, Object, Object, scala.collection.immutable.Seq<AccumulableInfo>> t
        : CollectionConverters.asJava(event.accumUpdates())) {
      if (!stages.contains((Integer) t._2())) {
        continue;
      }
      for (AccumulableInfo info : CollectionConverters.asJava(t._4())) {
        if (info.id() == acc.id() && info.update().isDefined() && info.update().get() instanceof Long v) {
          runningRows.put((Long) t._1(), v);
        }
      }
    }
  }

  @Override
  public void onTaskEnd(SparkListenerTaskEnd event) {
    if (event.taskInfo() == null || !stages.contains(event.stageId())) {
      return;
    }
    runningRows.remove(event.taskInfo().taskId());
    if (event.taskInfo().successful()) {
      finished.incrementAndGet();
    }
  }

  /** One progress line; nothing before the stage has submitted work. */
  private void report() {
    try {
      int done = finished.get();
      int total = Math.max(submitted.get(), done);
      if (total == 0) {
        return;
      }
      double elapsed = (System.nanoTime() - started) / 1e9;
      StringBuilder line = new StringBuilder();
      line.append(label).append(": ").append(done).append('/').append(total).append(" tasks done");
      double fraction = total > 0 ? done / (double) total : 0;
      LongAccumulator acc = rows;
      if (acc != null && rowsExpected > 0) {
        long counted = acc.value() + runningRows.values().stream().mapToLong(Long::longValue).sum();
        counted = Math.min(counted, rowsExpected);
        fraction = counted / (double) rowsExpected;
        line.append(String.format(java.util.Locale.ROOT, ", %,d of %,d %s (%.0f%%)", counted, rowsExpected, rowsWhat,
            100 * fraction));
      }
      line.append("; elapsed ").append(Progress.seconds(elapsed)).append(", ETA ")
          .append(fraction > 0 ? Progress.seconds(elapsed / fraction * (1 - fraction)) : "not yet known");
      if (acc == null) {
        line.append(" (for the Spark stages submitted so far)");
      }
      LOG.info("{}", line);
    } catch (RuntimeException e) {
      LOG.debug("progress report failed", e);
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
    sc.removeSparkListener(this);
  }
}
