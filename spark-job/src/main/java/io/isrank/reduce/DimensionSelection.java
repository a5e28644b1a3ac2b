package io.isrank.reduce;

import io.isrank.math.CovarianceSums;
import io.isrank.math.DimensionChoice;
import io.isrank.math.ModelReduction;
import io.isrank.math.Whitening;
import io.isrank.reduce.ReduceConfig;
import io.isrank.split.Split;
import io.isrank.runtime.PartitionOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import scala.Tuple2;

/**
 * Decides how many whitened directions each model keeps ({@code reduce.dims = auto}) and which
 * pairs' IS may still be cut by a cap, from one pass over a seeded subset of the fit rows (see
 * {@link DimensionChoice} for the test). With a fixed {@code reduce.dims} the directions are
 * kept as asked and only the truncation flags are computed.
 *
 * <p>The subset is every fit row whose split key is a multiple of ⌈n_fit / selection-rows⌉: a
 * function of (id, seed) only, so the choice is the same on any cluster. Its whitened vectors, at
 * each model's cap, are joined by id and summed into one covariance where the fit sample lies: an
 * item's rows of every model are in the same partition of the fit sample's canonical layout, in
 * split-key order, so no row moves and every partition's sums are the same on any cluster.
 */
public final class DimensionSelection {
  /** The fewest directions a model keeps under auto (a model of pure noise keeps these). */
  public static final int MIN_DIMS = 4;
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
   * Sums of products of the subset's whitened vectors [z_0; …; z_{M−1}] (each model at its cap),
   * about 0: per partition of the fit sample, the items of the subset that every model has, in
   * split-key order, whitened in batches and summed in blocks of {@link #BLOCK_ROWS} rows; the
   * driver adds the partitions in partition order. Each block is summed in single precision
   * ({@link CovarianceSums#addRowsRounded}, 1.7× faster): the tests read r² values whose sampling
   * error is of order 1/n, and a block's float sums are off by about 10⁻⁶ of their size.
   */
  static CovarianceSums subsetSums(SparkSession spark, FitSample sample, List<ModelReduction> capped, long stride) {
    int m = capped.size();
    int[] offsets = new int[m + 1];
    for (int i = 0; i < m; i++) {
      offsets[i + 1] = offsets[i] + capped.get(i).whitening().reducedDim();
    }
    int total = offsets[m];
    Broadcast<ModelReduction[]> shared = JavaSparkContext.fromSparkContext(spark.sparkContext())
        .broadcast(capped.toArray(new ModelReduction[0]));
    List<Tuple2<Integer, CovarianceSums>> parts = sample.blocks().mapPartitionsWithIndex(
        (Integer index, Iterator<FitSample.Block> it) -> {
          FitSample.Block[] blocks = new FitSample.Block[m];
          while (it.hasNext()) {
            FitSample.Block b = it.next();
            blocks[b.model] = b;
          }
          CovarianceSums sums = new CovarianceSums(new double[total]);
          if (Arrays.asList(blocks).contains(null)) {
            return List.of(new Tuple2<>(index, sums)).iterator(); // no item here that every model has
          }
          new SubsetRows(shared.value(), blocks, offsets, sums).sum(stride);
          return List.of(new Tuple2<>(index, sums)).iterator();
        }, true).collect();
    shared.destroy();
    return PartitionOrder.fold(parts, new CovarianceSums(new double[total]), CovarianceSums::merge);
  }

  /**
   * Rows per block of the selection sums: each block's products are summed in float, then added in
   * double, so the sums depend on it (a constant: the same on any cluster).
   */
  static final int BLOCK_ROWS = 256;

  /** One partition's subset items, whitened a batch at a time and summed a block at a time. */
  private static final class SubsetRows {
    private final FitSample.Block[] blocks;
    private final int[] offsets;
    private final CovarianceSums sums;
    private final ModelReduction.Batch[] batches;
    private final int[][] held = new int[ModelReduction.Batch.ROWS][];
    private final double[] x;
    private int items;
    private int filled;

    SubsetRows(ModelReduction[] reductions, FitSample.Block[] blocks, int[] offsets, CovarianceSums sums) {
      this.blocks = blocks;
      this.offsets = offsets;
      this.sums = sums;
      batches = new ModelReduction.Batch[blocks.length];
      for (int i = 0; i < blocks.length; i++) {
        batches[i] = new ModelReduction.Batch(reductions[i]);
      }
      x = new double[BLOCK_ROWS * offsets[blocks.length]];
    }

    /** Every item whose split key is a multiple of {@code stride} and that every model's block holds. */
    void sum(long stride) {
      int m = blocks.length;
      // Each block is in split-key order without repeats; the other models' rows of an item are
      // found by key (the blocks normally hold the same keys, the fit sample being aligned).
      List<Map<Long, Integer>> rowOf = new ArrayList<>();
      for (int i = 1; i < m; i++) {
        Map<Long, Integer> at = new HashMap<>();
        long[] keys = blocks[i].keys;
        for (int r = 0; r < keys.length; r++) {
          if (Math.floorMod(keys[r], stride) == 0) {
            at.put(keys[r], r);
          }
        }
        rowOf.add(at);
      }
      long[] keys = blocks[0].keys;
      for (int r = 0; r < keys.length; r++) {
        if (Math.floorMod(keys[r], stride) != 0) {
          continue;
        }
        int[] rows = new int[m];
        rows[0] = r;
        boolean all = true;
        for (int i = 1; i < m && all; i++) {
          Integer at = rowOf.get(i - 1).get(keys[r]);
          all = at != null;
          rows[i] = all ? at : -1;
        }
        if (all) {
          held[items++] = rows;
          if (items == held.length) {
            flush();
          }
        }
      }
      flush();
      sums.addRowsRounded(x, filled);
      filled = 0;
    }

    /** Whitens the held items, model by model, and moves them into the block of rows to sum. */
    private void flush() {
      for (int i = 0; i < blocks.length; i++) {
        ModelReduction.Batch batch = batches[i];
        for (int k = 0; k < items; k++) {
          blocks[i].row(held[k][i], batch.next());
          batch.added();
        }
        batch.reduce();
        int width = offsets[i + 1] - offsets[i];
        for (int k = 0; k < items; k++) {
          System.arraycopy(batch.out(k), 0, x, (filled + k) * offsets[blocks.length] + offsets[i], width);
        }
        batch.clear();
      }
      // the block fills to BLOCK_ROWS, a multiple of the batch's rows: a batch never straddles two blocks
      filled += items;
      items = 0;
      if (filled == BLOCK_ROWS) {
        sums.addRowsRounded(x, filled);
        filled = 0;
      }
    }
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
      List<ModelReduction> capped, ReduceConfig cfg, Split split) {
    long wanted = selectionRows(cfg, split.fitRows());
    long stride = Math.max(1, (split.fitRows() + wanted - 1) / wanted);
    int m = models.size();
    int[] dims = new int[m];
    boolean[] capBinding = new boolean[m];
    for (int i = 0; i < m; i++) {
      Whitening w = capped.get(i).whitening();
      dims[i] = w.reducedDim();
      capBinding[i] = w.availableDims() > w.reducedDim();
    }
    long started = System.nanoTime();
    CovarianceSums sums = subsetSums(spark, sample, capped, stride);
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
