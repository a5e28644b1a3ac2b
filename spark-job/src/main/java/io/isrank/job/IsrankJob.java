package io.isrank.job;

import io.isrank.error.IsrankException;
import io.isrank.report.RankingRow;
import io.isrank.runtime.Redaction;
import io.isrank.runtime.SafeText;
import io.isrank.runtime.Progress;
import io.isrank.runtime.Sessions;
import io.isrank.runtime.UserErrors;
import java.io.PrintStream;
import java.util.Locale;
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
      SparkSession spark = Sessions.session();
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
      IsrankException cause = UserErrors.userCause(e);
      if (cause == null) {
        cause = io.isrank.load.ReadFailures.of(e, modelColumn);
      }
      if (cause != null) {
        err.println(UserErrors.errorLine(cause.getMessage()));
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
