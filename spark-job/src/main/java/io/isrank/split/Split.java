package io.isrank.split;

import io.isrank.error.InputException;
import io.isrank.load.EmbeddingSource;
import io.isrank.validate.AlignedKeys;

/**
 * The deterministic fit / evaluation split. Every item has a key h = xxhash64(seed, id)
 * ({@link EmbeddingSource#itemKey}); the fit sample is the {@code fitRows} aligned items with the
 * smallest keys, the evaluation set the next
 * {@code evalRows} (or all the rest). An item's side depends on its id, the seed and the aligned set
 * only — never on partitioning or cluster size — and the sizes are exact.
 *
 * @param fitRows      items in the fit sample
 * @param evalRows     items in the evaluation set
 * @param fitMaxKey    largest key in the fit sample: fit ⇔ h ≤ fitMaxKey
 * @param evalMaxKey   largest key in the evaluation set: eval ⇔ fitMaxKey &lt; h ≤ evalMaxKey
 */
public record Split(long fitRows, long evalRows, long fitMaxKey, long evalMaxKey) {
  /** At most this fraction of the aligned items is used for fitting. */
  public static final double MAX_FIT_FRACTION = 0.5;

  /**
   * Chooses the split of the aligned items from their sorted keys.
   *
   * @param minFitRows the fewest fit rows the densities need (more than their parameters)
   */
  public static Split of(AlignedKeys keys, SplitConfig cfg, int minFitRows) {
    long aligned = keys.count();
    long[] sizes = sizes(aligned, cfg, minFitRows);
    long fit = sizes[0];
    long eval = sizes[1];
    long fitMax = keys.kth(fit);
    long fitRows = keys.countAtMost(fitMax); // more than fit only if two aligned ids share a key
    long evalMax = eval == aligned - fit || fitRows + eval > aligned ? Long.MAX_VALUE : keys.kth(fitRows + eval);
    return new Split(fitRows, keys.countAtMost(evalMax) - fitRows, fitMax, evalMax);
  }

  /**
   * The fit and evaluation sizes for this many aligned items: {fit, eval}.
   *
   * @throws InputException when there are too few items for either
   */
  public static long[] sizes(long aligned, SplitConfig cfg, int minFitRows) {
    long fit = Math.min(cfg.fitRows(), (long) Math.floor(aligned * MAX_FIT_FRACTION));
    long rest = aligned - fit;
    long eval = cfg.evalRows() > 0 ? Math.min(cfg.evalRows(), rest) : rest;
    if (fit < minFitRows || eval < cfg.minEvalRows()) {
      throw new InputException(aligned + " items are aligned across all models, giving " + fit + " fit and " + eval
          + " evaluation rows; isrank needs at least " + minFitRows + " fit rows (more than the densities' "
          + "parameters at reduce.dims) and " + cfg.minEvalRows() + " evaluation rows (split.min-eval-rows). "
          + "Provide more items present in every model, or lower reduce.dims");
    }
    return new long[] {fit, eval};
  }

  /** The fewest fit rows for p reduced dimensions: comfortably more than a 2p-dimensional covariance needs. */
  public static int minFitRows(int dims) {
    return Math.max(50, 8 * dims);
  }

}
