package io.isrank.validate;

import io.isrank.load.EmbeddingSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.types.UTF8String;

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
  private final StructType schema;

  FitCandidates(JavaRDD<RowScan.Block> blocks, long threshold, Map<String, Integer> modelIndex, int[] dims,
      StructType schema) {
    this.blocks = blocks;
    this.threshold = threshold;
    this.modelIndex = Map.copyOf(modelIndex);
    this.dims = dims.clone();
    this.schema = schema;
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
   * The fit sample's rows (model, id, embedding, h) — valid rows whose key is one of {@code fitKeys}
   * (duplicate copies included) — or empty when the threshold was below the fit sample's largest key.
   */
  public Optional<io.isrank.load.InternalRows.Table> rows(long fitMaxKey, long[] fitKeys) {
    if (threshold == Long.MIN_VALUE || fitMaxKey > threshold) {
      return Optional.empty();
    }
    long[] sorted = fitKeys.clone();
    Arrays.sort(sorted);
    Map<String, Integer> index = modelIndex;
    int[] lengths = dims;
    JavaRDD<InternalRow> rows = blocks.flatMap(b -> fitRows(b, index, lengths, sorted).iterator());
    return Optional.of(new io.isrank.load.InternalRows.Table(rows, schema));
  }

  private static List<InternalRow> fitRows(RowScan.Block b, Map<String, Integer> index, int[] dims, long[] sorted) {
    List<InternalRow> out = new ArrayList<>();
    KeptRows kept = b.candidates();
    for (int k = 0; k < kept.count(); k++) {
      int row = kept.blockRow(k);
      long h = kept.key(k);
      Integer model = index.get(b.model(row));
      if (model == null || b.nonFinite(row) || b.length(row) != dims[model] || Arrays.binarySearch(sorted, h) < 0) {
        continue;
      }
      out.add(new GenericInternalRow(new Object[] {UTF8String.fromString(b.model(row)), kept.id(k), kept.vector(k), h}));
    }
    return out;
  }

  /** The schema of {@link #rows}: the input's model, id and embedding columns and the split key. */
  static StructType schema(StructType input) {
    return new StructType(new StructField[] {input.apply(EmbeddingSource.MODEL), input.apply(EmbeddingSource.ID),
        input.apply(EmbeddingSource.EMBEDDING),
        new StructField(EmbeddingSource.KEY, DataTypes.LongType, false, Metadata.empty())});
  }

  /** Frees the scan's blocks. */
  public void release() {
    blocks.unpersist(false);
  }
}
