package io.isrank.align;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import io.isrank.error.InputException;
import io.isrank.job.RunConfig.SplitConfig;
import io.isrank.load.EmbeddingSource;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The deterministic fit / evaluation split. Every item gets a key h = xxhash64(seed, id); the fit
 * sample is the {@code fitRows} aligned items with the smallest keys, the evaluation set the next
 * {@code evalRows} (or all the rest). An item's side depends on its id, the seed and the aligned set
 * only — never on partitioning or cluster size — and the sizes are exact.
 *
 * @param fitRows      items in the fit sample
 * @param evalRows     items in the evaluation set
 * @param fitMaxKey    largest key in the fit sample: fit ⇔ h ≤ fitMaxKey
 * @param evalMaxKey   largest key in the evaluation set: eval ⇔ fitMaxKey &lt; h ≤ evalMaxKey
 */
public record Split(long fitRows, long evalRows, long fitMaxKey, long evalMaxKey) {
  /** Name of the key column added by {@link #key(long)}. */
  public static final String KEY = "h";

  /** At most this fraction of the aligned items is used for fitting. */
  public static final double MAX_FIT_FRACTION = 0.5;

  /** The split key of an item: xxhash64 of (seed, id). */
  public static Column key(long seed) {
    return xxhash64(lit(seed), col(EmbeddingSource.ID));
  }

  /** Whether a key belongs to the fit sample. */
  public Column isFit(Column key) {
    return key.leq(fitMaxKey);
  }

  /**
   * Chooses the split of the aligned ids.
   *
   * @param minFitRows the fewest fit rows the densities need (more than their parameters)
   */
  public static Split of(Dataset<Row> alignedIds, long aligned, long seed, SplitConfig cfg, int minFitRows) {
    long[] sizes = sizes(aligned, cfg, minFitRows);
    long fit = sizes[0];
    long eval = sizes[1];
    long rest = aligned - fit;
    Dataset<Row> keys = alignedIds.select(key(seed).as(KEY)).persist();
    try {
      long fitMax = kthSmallest(keys, col(KEY), fit);
      long evalMax = eval == rest ? Long.MAX_VALUE : kthSmallest(keys.filter(col(KEY).gt(fitMax)), col(KEY), eval);
      Row counts = keys.agg(
              sum(when(col(KEY).leq(fitMax), 1L).otherwise(0L)),
              sum(when(col(KEY).gt(fitMax).and(col(KEY).leq(evalMax)), 1L).otherwise(0L)))
          .first();
      return new Split(counts.getLong(0), counts.getLong(1), fitMax, evalMax);
    } finally {
      keys.unpersist();
    }
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

  /** Up to this many keys are sorted directly; more are narrowed down by histograms first. */
  static final long DIRECT_SORT_LIMIT = 1_000_000;
  private static final int BUCKETS = 4096;

  /**
   * The k-th smallest key (1-based). A sort of at most {@link #DIRECT_SORT_LIMIT} keys runs as a
   * top-k; beyond that, histograms over the key range narrow it to one bucket (keys are hashes,
   * spread evenly, so one or two rounds leave a few keys) and the top-k runs inside it. The driver
   * never holds more than a bucket's keys.
   */
  static long kthSmallest(Dataset<Row> keys, Column key, long k) {
    return kthSmallest(keys, key, k, DIRECT_SORT_LIMIT);
  }

  /** As {@link #kthSmallest(Dataset, Column, long)}, sorting directly at most {@code directLimit} keys. */
  public static long kthSmallest(Dataset<Row> keys, Column key, long k, long directLimit) {
    long lo = Long.MIN_VALUE;
    long hi = Long.MAX_VALUE;
    long need = k;
    Dataset<Long> values = keys.select(key.as("value")).as(org.apache.spark.sql.Encoders.LONG());
    while (need > directLimit) {
      final long from = lo;
      final long width = Long.divideUnsigned(hi - lo, BUCKETS) + 1;
      final long to = hi;
      java.util.Map<Long, Long> counts = new java.util.TreeMap<>();
      for (Row r : values.filter((org.apache.spark.api.java.function.FilterFunction<Long>) v -> v >= from && v <= to)
          .map((org.apache.spark.api.java.function.MapFunction<Long, Long>) v -> Long.divideUnsigned(v - from, width),
              org.apache.spark.sql.Encoders.LONG())
          .groupBy("value").count().collectAsList()) {
        counts.put(r.getLong(0), r.getLong(1));
      }
      long below = 0;
      for (java.util.Map.Entry<Long, Long> e : counts.entrySet()) {
        if (below + e.getValue() >= need) {
          lo = from + e.getKey() * width;
          hi = e.getKey() == BUCKETS ? to : Math.min(to, lo + (width - 1));
          need -= below;
          break;
        }
        below += e.getValue();
      }
    }
    final long from = lo;
    final long to = hi;
    return values.filter((org.apache.spark.api.java.function.FilterFunction<Long>) v -> v >= from && v <= to)
        .orderBy("value").limit((int) need).agg(max("value")).first().getLong(0);
  }
}
