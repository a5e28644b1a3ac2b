package io.isrank.validate;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.xxhash64;

import io.isrank.load.EmbeddingSource;
import io.isrank.load.InternalRows;
import java.io.Serializable;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * The one read of every input row. Each task reduces its rows to
 * <ul>
 *   <li>counts by (model, length, null id, non-finite) — what the checks of lengths and values
 *       need, a few entries per model; and
 *   <li>for every row with a model, an id and an embedding, four primitive values: the item's
 *       split key h = xxhash64(seed, id), a second, independent 64-bit hash of the id, a 64-bit
 *       hash of the embedding ({@link EmbeddingHash}), and the model, length and non-finite flag.
 * </ul>
 * Rows are read as Spark's internal rows (primitive arrays, no boxing, no per-element SQL lambda)
 * and the embedding is dropped as soon as it is hashed, unless the row is a fit-sample candidate
 * ({@link KeptRows}); the blocks are kept (memory, spilling to disk) for the index of items
 * ({@link ItemIndex}) and the fit sample ({@link FitCandidates}), so validation and the reduction
 * read the embeddings once.
 *
 * <p>Ids are compared by their two hashes (128 bits): two different ids of a corpus of 10⁹ items
 * share both with probability about 10⁻²¹.
 */
final class RowScan {
  /** The second id hash: xxhash64 with Spark's default seed (the split key's seed is the run's). */
  static final String ID_HASH = "h2";

  private RowScan() {}

  /** Rows counted by what the length and value checks need; {@code model} is null for a null model. */
  public record StatKey(String model, int length, boolean nullId, boolean nonFinite) implements Serializable {}

  /**
   * One task's rows.
   *
   * @param stats  rows by {@link StatKey}
   * @param models the block's model names; a row's model is an index into them
   * @param rows   rows recorded (those with a model, an id and an embedding)
   * @param keys   per row: split key h, id hash, embedding hash (stride 3)
   * @param codes  per row: model index · 2³² + length, negated (−1 − …) when a value is not finite
   * @param candidates the rows whose split key is at most the scan's threshold, kept whole
   */
  public record Block(Map<StatKey, Long> stats, String[] models, int rows, long[] keys, long[] codes,
      KeptRows candidates) implements Serializable {

    public String model(int row) {
      return models[(int) (decode(codes[row]) >>> 32)];
    }

    public int length(int row) {
      return (int) decode(codes[row]);
    }

    public boolean nonFinite(int row) {
      return codes[row] < 0;
    }

    private static long decode(long code) {
      return code < 0 ? -1 - code : code;
    }
  }

  /**
   * The blocks of every input partition (not persisted: the caller decides).
   *
   * @param keep rows with a split key at most this are fit-sample candidates, kept whole
   *             ({@link KeptRows}); Long.MIN_VALUE: none
   */
  public static JavaRDD<Block> scan(Dataset<Row> rows, long seed, long keep) {
    boolean stringId = rows.schema().apply(EmbeddingSource.ID).dataType().equals(DataTypes.StringType);
    boolean floats = EmbeddingSource.floats(rows);
    Dataset<Row> input = rows.select(col(EmbeddingSource.MODEL), col(EmbeddingSource.ID),
        col(EmbeddingSource.EMBEDDING), EmbeddingSource.itemKey(seed).as(EmbeddingSource.KEY), xxhash64(col(EmbeddingSource.ID)).as(ID_HASH));
    return input.queryExecution().toRdd().toJavaRDD().mapPartitions(
        (Iterator<InternalRow> it) -> List.of(block(it, floats, stringId, keep)).iterator());
  }

  /** Reads one partition's rows into a block (columns: model, id, embedding, h, h2). */
  static Block block(Iterator<InternalRow> it, boolean floats, boolean stringId, long keep) {
    Builder b = new Builder(stringId, floats, keep);
    while (it.hasNext()) {
      b.add(it.next(), floats);
    }
    return b.build();
  }

  private static final class Builder {
    private final Map<UTF8String, Integer> index = new HashMap<>();
    private String[] names = new String[4];
    private UTF8String[] kept = new UTF8String[4];
    private int[] successor = {-1, -1, -1, -1};
    private final Map<StatKey, long[]> stats = new HashMap<>();
    private long[] keys = new long[3 * 1024];
    private long[] codes = new long[1024];
    private int rows;
    // The last row's model and counter: rows of one model come in long runs.
    private UTF8String lastModel;
    private int lastCode = -1;
    private long lastStat = Long.MIN_VALUE;
    private long[] lastCounter;
    private final boolean stringId;
    private final long keep;
    private final KeptRows.Builder candidates;
    private double[] values = new double[0];
    private float[] floatValues = new float[0];

    Builder(boolean stringId, boolean floats, long keep) {
      this.stringId = stringId;
      this.keep = keep;
      this.candidates = new KeptRows.Builder(stringId, floats);
    }

    void add(InternalRow r, boolean floats) {
      if (r.isNullAt(0)) {
        count(new StatKey(null, r.isNullAt(2) ? -1 : r.getArray(2).numElements(), r.isNullAt(1), false));
        return;
      }
      int code = code(r.getUTF8String(0));
      boolean nullId = r.isNullAt(1);
      if (r.isNullAt(2)) {
        count(new StatKey(names[code], -1, nullId, false));
        return;
      }
      ArrayData a = r.getArray(2);
      int len = a.numElements();
      // The values are read straight from Spark's array memory into a reused buffer; a null
      // element reads as 0 there, so nulls are found from the array's null bits (they make the row
      // non-finite, as NaN does).
      boolean nonFinite = InternalRows.hasNullElement(a);
      long hash;
      if (floats) { // the usual case: the values' bits, hashed as floats
        if (floatValues.length < len) {
          floatValues = new float[len];
        }
        InternalRows.readFloats(a, floatValues);
        nonFinite |= nonFinite(floatValues, len);
        hash = EmbeddingHash.floats(floatValues, len);
      } else {
        if (values.length < len) {
          values = new double[len];
        }
        InternalRows.readDoubles(a, false, values);
        for (int j = 0; j < len; j++) {
          double x = values[j];
          nonFinite |= x - x != 0; // NaN or ±Infinity
        }
        hash = EmbeddingHash.lanes(values, len);
      }
      long stat = ((long) code << 34) | ((long) len << 2) | (nullId ? 2 : 0) | (nonFinite ? 1 : 0);
      if (stat != lastStat) {
        lastStat = stat;
        lastCounter = stats.computeIfAbsent(new StatKey(names[code], len, nullId, nonFinite), k -> new long[1]);
      }
      lastCounter[0]++;
      if (nullId) {
        return;
      }
      if (rows == codes.length) {
        codes = Arrays.copyOf(codes, 2 * rows);
        keys = Arrays.copyOf(keys, 6 * rows);
      }
      long key = r.getLong(3);
      if (key <= keep && keep != Long.MIN_VALUE) { // a fit-sample candidate: kept whole
        candidates.add(rows, key, stringId ? r.getUTF8String(1) : null, stringId ? 0 : r.getLong(1),
            floats ? floatValues : values, len);
      }
      keys[3 * rows] = key;
      keys[3 * rows + 1] = r.getLong(4);
      keys[3 * rows + 2] = hash;
      long c = ((long) code << 32) | len;
      codes[rows++] = nonFinite ? -1 - c : c;
    }

    /** Whether a value is NaN or ±Infinity: its exponent bits all set (adding one carries into the sign). */
    private static boolean nonFinite(float[] x, int n) {
      int carry = 0;
      for (int j = 0; j < n; j++) {
        carry |= (Float.floatToRawIntBits(x[j]) & 0x7F800000) + 0x00800000;
      }
      return carry < 0;
    }

    private void count(StatKey k) {
      stats.computeIfAbsent(k, x -> new long[1])[0]++;
      lastStat = Long.MIN_VALUE;
    }

    private int code(UTF8String model) {
      if (lastModel != null && lastModel.equals(model)) {
        return lastCode;
      }
      // Interleaved models (one item's rows of every model in turn) repeat one order: the model that
      // followed the last one before is tried before the map (no hash of the name per row).
      int guess = lastCode >= 0 ? successor[lastCode] : -1;
      int c;
      if (guess >= 0 && kept[guess].equals(model)) {
        c = guess;
      } else {
        Integer known = index.get(model);
        if (known == null) {
          known = index.size();
          if (known == names.length) {
            names = Arrays.copyOf(names, 2 * known);
            kept = Arrays.copyOf(kept, 2 * known);
            successor = Arrays.copyOf(successor, 2 * known);
          }
          kept[known] = model.clone(); // the row's buffer is reused
          names[known] = kept[known].toString();
          successor[known] = -1;
          index.put(kept[known], known);
        }
        c = known;
        if (lastCode >= 0) {
          successor[lastCode] = c;
        }
      }
      lastModel = kept[c];
      lastCode = c;
      return c;
    }

    Block build() {
      Map<StatKey, Long> counts = new HashMap<>();
      stats.forEach((k, v) -> counts.put(k, v[0]));
      String[] models = Arrays.copyOf(names, index.size());
      return new Block(counts, models, rows, Arrays.copyOf(keys, 3 * rows), Arrays.copyOf(codes, rows),
          candidates.build());
    }
  }
}
