package io.isrank.runtime;

import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/** The Spark session isrank's jobs run in: spark-submit's, or an embedded local one. */
public final class Sessions {
  private Sessions() {}

  /**
   * The active session, or a new one. Without a master from spark-submit or spark.master, runs
   * embedded on local[*]. FAIR scheduling lets concurrent fits share the cluster.
   */
  public static SparkSession session() {
    SparkConf conf = new SparkConf();
    SparkSession.Builder b = SparkSession.builder().appName("isrank");
    if (!conf.contains("spark.master")) {
      b.master("local[*]");
    }
    if (!conf.contains("spark.scheduler.mode")) {
      b.config("spark.scheduler.mode", "FAIR");
    }
    shuffleDefaults(conf, b);
    if (conf.get("spark.master", "local[*]").startsWith("local")) {
      localDefaults(conf, b);
    }
    if (!conf.contains("spark.ui.showConsoleProgress")) {
      b.config("spark.ui.showConsoleProgress", "false");
    }
    // A context that cannot start is reported in one line below; SparkContext's own ERROR with its
    // stack trace would come first (run with --verbose for the trace).
    String contextLogger = "org.apache.spark.SparkContext";
    org.apache.logging.log4j.Level before = org.apache.logging.log4j.LogManager.getLogger(contextLogger).getLevel();
    org.apache.logging.log4j.core.config.Configurator.setLevel(contextLogger, org.apache.logging.log4j.Level.FATAL);
    try {
      return b.getOrCreate();
    } catch (Exception e) { // SparkException: a master URL Spark cannot parse or reach
      String master = conf.get("spark.master", "local[*]");
      throw new io.isrank.error.IsrankException("Spark cannot start with master '" + Redaction.text(master) + "': "
          + Redaction.text(String.valueOf(e.getMessage()).lines().findFirst().orElse("")) + "; use local[N] here, "
          + "or spark-submit with yarn, spark://host:port or k8s://… (set SPARK_HOME for submit.sh)", e);
    } finally {
      org.apache.logging.log4j.core.config.Configurator.setLevel(contextLogger, before);
    }
  }

  /**
   * Shuffle settings for isrank's jobs on any master, unless the user set them:
   * {@code spark.shuffle.sort.bypassMergeThreshold = 0}. Spark's default (200) sends a shuffle with
   * at most 200 reduce partitions and no map-side combine — every shuffle of isrank's (the fit
   * sample to its canonical layout, the whitened rows to their items' partitions, the id index) —
   * through the bypass writer: each map task writes one file per reduce partition, then copies them
   * all into its output file, so every byte goes to disk twice. isrank's map tasks emit one large
   * record (a block of primitive arrays) per reduce partition, so the sort-based writer, which
   * writes them once, has nothing to sort. On 8 × 1M × 128 the copy was a quarter of the align
   * pass's samples (the kernel's buffered-write path); results do not depend on the writer.
   */
  public static void shuffleDefaults(SparkConf conf, SparkSession.Builder b) {
    shuffleDefaults(conf).forEach(b::config);
  }

  /** The settings {@link #shuffleDefaults(SparkConf, SparkSession.Builder)} adds to {@code conf}. */
  static java.util.Map<String, String> shuffleDefaults(SparkConf conf) {
    return conf.contains(BYPASS_MERGE_THRESHOLD) ? java.util.Map.of() : java.util.Map.of(BYPASS_MERGE_THRESHOLD, "0");
  }

  static final String BYPASS_MERGE_THRESHOLD = "spark.shuffle.sort.bypassMergeThreshold";

  /**
   * Settings for a run inside one JVM, unless the user set them: the work is a few million values
   * on a few cores, so the run should spend its time on the data, not on scheduling. Results do
   * not depend on either (isrank's passes choose their own partitioning).
   * <ul>
   *   <li>{@code spark.sql.shuffle.partitions}: 2 per core (at least 4) instead of 200, which on a
   *       laptop is mostly task overhead;
   *   <li>{@code spark.sql.adaptive.enabled = false}: adaptive execution runs every shuffle stage as
   *       a job of its own and re-plans between them; on a small input that doubled the stages'
   *       scheduling time, and there is nothing for it to coalesce or rebalance;
   *   <li>{@code spark.task.maxDirectResultSize = 128m} (Spark caps it at spark.rpc.message.maxSize,
   *       128 MiB by default) instead of 1 MiB: a task result up to that size goes straight to the
   *       driver instead of into the block manager and back through a network fetch from the same
   *       JVM. isrank's partial sums are tens of megabytes (the choice of directions sums a
   *       4,224-direction covariance triangle, 71 MB, per partition on 11 × 384 dims); the round
   *       trip was 0.3–0.4 s of that pass's 2.1–2.8 s.
   * </ul>
   */
  public static void localDefaults(SparkConf conf, SparkSession.Builder b) {
    if (!conf.contains("spark.sql.shuffle.partitions")) {
      b.config("spark.sql.shuffle.partitions", Math.max(4, 2 * Runtime.getRuntime().availableProcessors()));
    }
    if (!conf.contains("spark.sql.adaptive.enabled")) {
      b.config("spark.sql.adaptive.enabled", "false");
    }
    if (!conf.contains("spark.task.maxDirectResultSize")) {
      b.config("spark.task.maxDirectResultSize", "128m");
    }
  }
}
