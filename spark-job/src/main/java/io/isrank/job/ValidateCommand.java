package io.isrank.job;

import io.isrank.error.IsrankException;
import io.isrank.estimate.PairSelection;
import io.isrank.load.EmbeddingSource;
import io.isrank.runtime.UserErrors;
import io.isrank.split.Split;
import io.isrank.validate.InputValidation.Validated;
import io.isrank.validate.InputValidation;
import io.isrank.validate.ModelCounts;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * {@code isrank validate}: the run's load, validation and alignment, and every check a run makes
 * before fitting (model selection, split sizes), with nothing fitted and nothing written. Prints a
 * per-model table; the exit code is 0 exactly when a run with the same options would accept the
 * input, and the refusal message is the run's own.
 */
final class ValidateCommand {
  private ValidateCommand() {}

  public static int run(SparkSession spark, RunConfig cfg, PrintStream out, PrintStream err) {
    spark.sparkContext().setJobDescription("isrank validate: " + io.isrank.runtime.Redaction.text(cfg.input().path()));
    EmbeddingSource.Loaded loaded = EmbeddingSource.load(spark, cfg.input());
    Validated v = InputValidation.validate(loaded, cfg.input(), cfg.seed());
    try {
      printTable(out, cfg, loaded, v);
      if (v.problem() != null) {
        err.println(UserErrors.errorLine(v.problem()));
        return 2;
      }
      PairSelection selection = Pipeline.selection(cfg, v.models());
      long[] sizes = Split.sizes(v.aligned(), cfg.split(), Split.minFitRows(cfg.reduce().dims()));
      out.printf(Locale.ROOT, "accepted: a run would fit on %d items, score %d held-out items, and measure %d "
          + "directions from %d joint fits%n", sizes[0], sizes[1], selection.directions().size(),
          selection.pairs().size());
      return 0;
    } catch (IsrankException e) {
      err.println(UserErrors.errorLine(e.getMessage()));
      return 2;
    } finally {
      v.release();
    }
  }

  static void printTable(PrintStream out, RunConfig cfg, EmbeddingSource.Loaded loaded, Validated v) {
    out.printf(Locale.ROOT, "input %s (%s layout, %d files), %d models, %d items aligned across all of them%n",
        io.isrank.runtime.Redaction.text(cfg.input().path()), loaded.layout(), loaded.files().size(), v.models().size(), v.aligned());
    String fmt = "%-28s %10s %6s %9s %11s %10s %12s %11s %10s%n";
    out.printf(Locale.ROOT, fmt, "model", "rows read", "dim", "invalid", "duplicates", "conflicts", "distinct ids",
        "not in all", "aligned");
    for (ModelCounts c : v.counts().values()) {
      out.printf(Locale.ROOT, fmt, io.isrank.runtime.SafeText.printable(c.model()), c.rowsRead(), c.dim(), c.invalidTotal(), c.duplicateRows(),
          c.conflictingIds(), c.distinctIds(), c.missingInOtherModels(), c.aligned());
    }
    for (ModelCounts c : v.counts().values()) {
      for (Map.Entry<String, Long> e : c.invalidRows().entrySet()) {
        List<String> ids = c.invalidExamples().getOrDefault(e.getKey(), List.of());
        out.printf(Locale.ROOT, "  %s: %d rows with %s%s%n", io.isrank.runtime.SafeText.printable(c.model()),
            e.getValue(), e.getKey(), ids.isEmpty() ? "" : " (e.g. ids "
                + io.isrank.runtime.SafeText.printable(String.join(", ", ids)) + ")");
      }
    }
    for (String w : v.warnings()) {
      out.println("  note: " + io.isrank.runtime.SafeText.printable(io.isrank.runtime.Redaction.text(w)));
    }
  }
}
