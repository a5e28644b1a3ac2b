package io.isrank.reduce;

import io.isrank.align.Projection;
import io.isrank.fit.GaussianFitter;
import io.isrank.math.CovarianceSums;
import io.isrank.math.DimensionChoice;
import io.isrank.math.ModelReduction;
import io.isrank.math.Whitening;
import io.isrank.reduce.ReduceConfig;
import io.isrank.split.Split;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Decides how many whitened directions each model keeps ({@code reduce.dims = auto}) and which
 * pairs' IS may still be cut by a cap, from one pass over a seeded subset of the fit rows (see
 * {@link DimensionChoice} for the test). With a fixed {@code reduce.dims} the directions are
 * kept as asked and only the truncation flags are computed.
 *
 * <p>The subset is every fit row whose split key is a multiple of ⌈n_fit / selection-rows⌉: a
 * function of (id, seed) only, so the choice is the same on any cluster. The subset's whitened
 * vectors, at each model's cap, are aligned by id (a shuffle of selection-rows short vectors)
 * in {@link #partitions} canonical partitions and summed into one covariance.
 */
public final class DimensionSelection {
  /** The fewest directions a model keeps under auto (a model of pure noise keeps these). */
  public static final int MIN_DIMS = 4;
  /** Selection rows per partition of the selection pass, at least (see {@link #partitions}). */
  static final int ROWS_PER_PARTITION = 1_500;
  /** The most partitions of the selection pass. */
  static final int MAX_PARTITIONS = 16;

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger("io.isrank");

  private DimensionSelection() {}

  private static String seconds(long nanos) {
    return String.format(Locale.ROOT, "%.1f", nanos / 1e9);
  }

  /**
   * What one model kept and why.
   *
   * @param available directions with non-zero variance (the most it could keep)
   * @param cap       directions it started from
   * @param kept      directions kept
   * @param reason    a sentence for the tables and the log
   */
  public record Choice(String model, int originalDim, int available, int cap, int kept, double explainedVariance,
      String reason) {}

  /**
   * @param reductions     per model, in model order, keeping the chosen directions
   * @param mayBeTruncated [u][v]: a binding cap may have cut information shared by u and v
   * @param rows           selection rows the choice was made on
   */
  public record Result(List<ModelReduction> reductions, List<Choice> choices, boolean[][] mayBeTruncated, long rows) {}

  /**
   * The rows the choice is made on: all fit rows, or a seeded subset of selection-rows of them —
   * but at least four per direction of the largest cap, so that the tests keep their power.
   */
  public static long selectionRows(ReduceConfig cfg, long fitRows) {
    return Math.min(fitRows, Math.max(cfg.selectionRows(), 4L * cap(cfg, fitRows)));
  }

  /**
   * Partitions of the selection pass: one per {@link #ROWS_PER_PARTITION} selection rows, at most
   * {@link #MAX_PARTITIONS} — a function of the row count only, so the sums do not depend on the
   * cluster. Each partition ships its whole sum of products to the driver (Σp²/2 values: 71 MB
   * at 11 × 384 directions), so a partition must hold enough rows for its arithmetic to outweigh
   * that; at 1,500 rows it does a few times over.
   */
  static int partitions(long rows) {
    return (int) Math.max(1, Math.min(MAX_PARTITIONS, rows / ROWS_PER_PARTITION));
  }

  /**
   * The directions each model's reduction is fitted with, its starting point before the choice:
   * under auto one per reduce.rows-per-dim fit rows, at most reduce.max-dims.
   */
  public static int cap(ReduceConfig cfg, long fitRows) {
    if (!cfg.auto()) {
      return cfg.dims();
    }
    return (int) Math.max(MIN_DIMS, Math.min(cfg.maxDims(), fitRows / cfg.rowsPerDim()));
  }

  /**
   * @param sample the fit sample ({@link Reducer.Fitted#sample}): the selection subset is taken from
   *               it, with no pass over the input
   * @param capped per model, in model order, the reduction fitted with {@link #cap} directions
   */
  public static Result choose(SparkSession spark, FitSample sample, List<String> models,
      List<ModelReduction> capped, ReduceConfig cfg, long seed, Split split) {
    long wanted = selectionRows(cfg, split.fitRows());
    long stride = Math.max(1, (split.fitRows() + wanted - 1) / wanted);
    int partitions = partitions(split.fitRows() / stride);
    Projection.Layout layout = Projection.fitSubset(split, stride, partitions);
    Projection.Aligned subset = Projection.aligned(spark, sample.rows(spark, h -> layout.partitionOf(h) >= 0, models),
        capped, models, seed, layout);
    Dataset<Row> rows = Projection.partitions(spark, subset, 0, partitions);
    int m = models.size();
    int[] dims = new int[m];
    boolean[] capBinding = new boolean[m];
    for (int i = 0; i < m; i++) {
      Whitening w = capped.get(i).whitening();
      dims[i] = w.reducedDim();
      capBinding[i] = w.availableDims() > w.reducedDim();
    }
    long started = System.nanoTime();
    CovarianceSums sums = GaussianFitter.covariance(rows, dims);
    long n = sums.count();
    long summed = System.nanoTime();
    List<DimensionChoice.Kept> kept = DimensionChoice.choose(sums.covariance(), dims, capBinding, n, MIN_DIMS);
    LOG.info("reduce: {} selection rows whitened at the caps and summed into one covariance of {} directions in "
        + "{} s; the tests of {} models took {} s", n, sums.dim(), seconds(summed - started), m,
        seconds(System.nanoTime() - summed));

    List<ModelReduction> reductions = new ArrayList<>();
    List<Choice> choices = new ArrayList<>();
    boolean[][] flags = new boolean[m][m];
    long supported = split.fitRows() / cfg.rowsPerDim();
    for (int i = 0; i < m; i++) {
      Whitening w = capped.get(i).whitening();
      DimensionChoice.Kept k = kept.get(i);
      int keptDims = cfg.auto() ? k.kept() : dims[i];
      ModelReduction r = capped.get(i).prefix(keptDims);
      reductions.add(r);
      String reason;
      if (!cfg.auto()) {
        reason = String.format(Locale.ROOT, "reduce.dims = %d: the %d directions of largest variance", cfg.dims(),
            keptDims) + (capBinding[i] ? " of " + w.availableDims() : "");
      } else if (k.trimmed()) {
        reason = String.format(Locale.ROOT, "%d of %d directions: the last %d of the %d the fit rows support carry "
            + "no detectable information about another model", keptDims, w.availableDims(), dims[i] - keptDims,
            dims[i]);
      } else if (capBinding[i]) {
        reason = String.format(Locale.ROOT, "capped at %d of %d directions by %s", dims[i], w.availableDims(),
            cfg.maxDims() <= supported ? "reduce.max-dims" : "the fit rows (" + split.fitRows() + " fit rows support "
                + supported + " per model at reduce.rows-per-dim = " + cfg.rowsPerDim() + ")");
      } else {
        reason = "all " + keptDims + " directions carry information";
      }
      choices.add(new Choice(models.get(i), w.originalDim(), w.availableDims(), dims[i], keptDims,
          r.whitening().explainedVarianceRatio(), reason));
      for (int j = 0; j < m; j++) {
        flags[i][j] |= k.informativeAtCap()[j];
        flags[j][i] |= k.informativeAtCap()[j];
      }
    }
    return new Result(reductions, choices, flags, n);
  }
}
