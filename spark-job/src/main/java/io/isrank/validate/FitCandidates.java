package io.isrank.validate;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.api.java.JavaRDD;

/**
 * The rows the validation scan kept whole: every row whose split key is at most a threshold chosen
 * from the models' row counts so that, on an input whose models share their ids, it lies well above
 * the fit sample's largest key. The fit sample then comes out of memory; when it does not fit under
 * the threshold (most ids not shared by every model) the reduction reads the input instead.
 */
public final class FitCandidates {
  /** Candidates per expected fit row: enough that a shortfall is a 20-sigma event. */
  static final double MARGIN = 1.2;

  private final JavaRDD<RowScan.Block> blocks;
  private final long threshold;
  private final Map<String, Integer> modelIndex;
  private final int[] dims;

  FitCandidates(JavaRDD<RowScan.Block> blocks, long threshold, Map<String, Integer> modelIndex, int[] dims) {
    this.blocks = blocks;
    this.threshold = threshold;
    this.modelIndex = Map.copyOf(modelIndex);
    this.dims = dims.clone();
  }

  /**
   * The split-key threshold under which to keep rows whole, or Long.MIN_VALUE to keep none.
   *
   * @param rowsPerModel rows of each model
   * @param fitRows      split.fit-rows
   */
  static long threshold(Map<String, Long> rowsPerModel, long fitRows) {
    if (rowsPerModel.size() < 2) {
      return Long.MIN_VALUE;
    }
    long fewest = rowsPerModel.values().stream().mapToLong(Long::longValue).min().orElse(0);
    long total = rowsPerModel.values().stream().mapToLong(Long::longValue).sum();
    // the fit sample is at most split.fit-rows and at most half of the aligned items (≤ fewest)
    double fit = Math.min(fitRows, fewest / 2);
    if (fit <= 0) {
      return Long.MIN_VALUE;
    }
    double share = Math.min(1.0, (MARGIN * fit + 10 * Math.sqrt(fit) + 100) / fewest);
    // Unbalanced models (one small model forces a large share of the others): not worth holding.
    if (share * total > 3 * MARGIN * fit * rowsPerModel.size() + 10_000) {
      return Long.MIN_VALUE;
    }
    return share >= 1.0 ? Long.MAX_VALUE : (long) ((share - 0.5) * 0x1.0p64);
  }

  /**
   * The fit sample's rows — valid rows whose key is one of {@code fitKeys}, identical copies
   * included — as primitive views of the scan's kept rows, one per scan block (no row objects, no
   * copies until the caller's); or empty when the threshold was below the fit sample's largest key.
   */
  public Optional<JavaRDD<Part>> parts(long fitMaxKey, long[] fitKeys) {
    if (threshold == Long.MIN_VALUE || fitMaxKey > threshold) {
      return Optional.empty();
    }
    long[] sorted = fitKeys.clone();
    Arrays.sort(sorted);
    Map<String, Integer> index = modelIndex;
    int[] lengths = dims;
    return Optional.of(blocks.map(b -> Part.of(b, index, lengths, sorted)));
  }

  /** One scan block's fit rows: kept rows of a known model, finite, of its length, with a fit key. */
  public static final class Part implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    private final KeptRows kept;
    private final int[] rows;
    private final int[] models;

    private Part(KeptRows kept, int[] rows, int[] models) {
      this.kept = kept;
      this.rows = rows;
      this.models = models;
    }

    static Part of(RowScan.Block b, Map<String, Integer> index, int[] dims, long[] sorted) {
      KeptRows kept = b.candidates();
      int[] rows = new int[kept.count()];
      int[] models = new int[kept.count()];
      int n = 0;
      for (int k = 0; k < kept.count(); k++) {
        int row = kept.blockRow(k);
        Integer model = index.get(b.model(row));
        if (model == null || b.nonFinite(row) || b.length(row) != dims[model]
            || Arrays.binarySearch(sorted, kept.key(k)) < 0) {
          continue;
        }
        rows[n] = k;
        models[n++] = model;
      }
      return new Part(kept, Arrays.copyOf(rows, n), Arrays.copyOf(models, n));
    }

    public int count() {
      return rows.length;
    }

    /** Row i's model: its index in the run's model order. */
    public int model(int i) {
      return models[i];
    }

    public long key(int i) {
      return kept.key(rows[i]);
    }

    /** The id as Spark's internal value (UTF8String or Long), not shared with a reused buffer. */
    public Object id(int i) {
      return kept.id(rows[i]);
    }

    /** The array (float[] or double[], the input's type) holding row i's embedding, from {@link #offset}. */
    public Object values(int i) {
      return kept.values(rows[i]);
    }

    public int offset(int i) {
      return kept.offset(rows[i]);
    }

    public int length(int i) {
      return kept.length(rows[i]);
    }
  }

  /** Frees the scan's blocks. */
  public void release() {
    blocks.unpersist(false);
  }
}
