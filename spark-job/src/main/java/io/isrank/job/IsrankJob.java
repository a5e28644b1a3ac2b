package io.isrank.job;

import io.isrank.error.IsrankException;
import io.isrank.report.RankingRow;
import io.isrank.report.Redaction;
import io.isrank.report.SafeText;
import java.io.PrintStream;
import java.util.Locale;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * Entry point for spark-submit and the embedded run: parse options, start (or join) the Spark
 * session, run the pipeline, print the ranking. Exit codes: 0 done, 2 user error (bad option,
 * input or output), 1 anything unexpected.
 */
public final class IsrankJob {
  private IsrankJob() {}

  public static void main(String[] args) {
    int code = run(args, System.out, System.err);
    if (code != 0) {
      System.exit(code);
    }
  }

  /** Runs the job; returns the exit code instead of exiting (for tests and embedding). */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    boolean verbose = java.util.Arrays.asList(args).contains("--verbose");
    String modelColumn = "model"; // names a file's model in a read error
    try {
      Cli.Request request = Cli.parse(args);
      if (request instanceof Cli.Help help) {
        out.print(help.text());
        return 0;
      }
      Cli.Run run = (Cli.Run) request;
      modelColumn = run.config().input().modelColumn();
      SparkSession spark = session();
      if (spark.sparkContext().isLocal() && !verbose) {
        quietTaskFailures();
      }
      if (run.command() == Cli.Command.VALIDATE) {
        return ValidateCommand.run(spark, run.config(), out, err);
      }
      Pipeline.Result result = Pipeline.run(spark, run.config());
      printRanking(out, result);
      return 0;
    } catch (Exception e) { // Spark's own exceptions are checked ones, thrown through Scala code
      IsrankException cause = userCause(e);
      if (cause == null) {
        cause = io.isrank.load.ReadFailures.of(e, modelColumn);
      }
      if (cause != null) {
        err.println(errorLine(cause.getMessage()));
        if (verbose) {
          err.print(Redaction.stackTrace(e));
        }
        return 2;
      }
      err.println("isrank: unexpected failure: " + SafeText.printable(Redaction.text(String.valueOf(e))));
      err.print(Redaction.stackTrace(e));
      return 1;
    }
  }

  /**
   * In local mode the executor runs in this JVM and a failed task's exception reaches the driver,
   * which ends the run with one {@code isrank: error:} line (or, for a failure that is no user
   * error, the whole stack trace). Spark's executor and task-set loggers would print the same
   * stack trace twice above that line, so they are silenced; {@code --verbose} keeps them.
   */
  private static void quietTaskFailures() {
    for (String logger : new String[] {"org.apache.spark.executor.Executor",
        "org.apache.spark.scheduler.TaskSetManager"}) {
      org.apache.logging.log4j.core.config.Configurator.setLevel(logger, org.apache.logging.log4j.Level.OFF);
    }
  }

  /**
   * What a user error ends with: secrets in it redacted, and control characters (from names in
   * the data) escaped so a name cannot move the cursor or fake a line; the message's own line
   * breaks between problems stay.
   */
  public static String errorLine(String message) {
    return "isrank: error: " + SafeText.printable(Redaction.text(message), true);
  }

  /** The user error (bad option, input or output) behind a failure, or null when it is none. */
  public static IsrankException userCause(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof IsrankException i) {
        return i;
      }
    }
    return null;
  }

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
   * Settings for a run inside one JVM, unless the user set them: the work is a few million values
   * on a few cores, so the run should spend its time on the data, not on scheduling. Results do
   * not depend on either (isrank's passes choose their own partitioning).
   * <ul>
   *   <li>{@code spark.sql.shuffle.partitions}: 2 per core (at least 4) instead of 200, which on a
   *       laptop is mostly task overhead;
   *   <li>{@code spark.sql.adaptive.enabled = false}: adaptive execution runs every shuffle stage as
   *       a job of its own and re-plans between them; on a small input that doubled the stages'
   *       scheduling time, and there is nothing for it to coalesce or rebalance.
   * </ul>
   */
  public static void localDefaults(SparkConf conf, SparkSession.Builder b) {
    if (!conf.contains("spark.sql.shuffle.partitions")) {
      b.config("spark.sql.shuffle.partitions", Math.max(4, 2 * Runtime.getRuntime().availableProcessors()));
    }
    if (!conf.contains("spark.sql.adaptive.enabled")) {
      b.config("spark.sql.adaptive.enabled", "false");
    }
  }

  static void printRanking(PrintStream out, Pipeline.Result result) {
    out.println();
    out.printf(Locale.ROOT, "isrank ranking (run %s) -> %s%n", result.runId(),
        Redaction.text(result.output().toString()));
    out.printf(Locale.ROOT, "%4s  %-28s %15s  %-25s %6s %7s%n", "rank", "model", "informativeness", "interval",
        "dim", "reduced");
    for (RankingRow r : result.ranking()) {
      String interval = r.lower() == null ? "-" : String.format(Locale.ROOT, "[%.4f, %.4f]", r.lower(), r.upper());
      out.printf(Locale.ROOT, "%4s  %-28s %15.5f  %-25s %6d %7d%n", r.rank() + (r.medianTied() ? "*" : ""),
          SafeText.printable(r.model()), r.informativeness(), interval, r.dim(), r.reducedDim());
    }
    out.printf(Locale.ROOT, "timings: %s%n", String.join(", ", result.timings().entrySet().stream()
        .map(e -> e.getKey() + " " + Progress.seconds(e.getValue())).toList()));
  }
}
