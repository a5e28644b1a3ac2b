package io.isrank.validate;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * The rows one scan task kept whole — the fit sample's candidates: per row its row in the task's
 * block, split key, id and embedding.
 *
 * <p>The embeddings are packed into large primitive chunks in the input's own type (float or
 * double), not an array per row: a task keeps a tenth of its rows or more, and as many small arrays
 * living to the end of the task cost an allocation each and young collections that copy them. A
 * chunk is never grown or copied; an embedding that does not fit in the current one starts the
 * next, and chunks double from 16k values up to {@link #CHUNK_VALUES}, so a task that keeps little
 * holds little. Long ids are a primitive array too.
 */
final class KeptRows implements Serializable {
  private static final long serialVersionUID = 1L;
  /** The most values in a chunk (4 MB of floats). */
  static final int CHUNK_VALUES = 1 << 20;

  private final int count;
  private final int[] blockRow;
  private final long[] keys;
  private final long[] longIds;
  private final UTF8String[] stringIds;
  private final int[] chunk;
  private final int[] offset;
  private final int[] length;
  private final Object[] chunks;

  private KeptRows(Builder b) {
    this.count = b.count;
    this.blockRow = Arrays.copyOf(b.blockRow, count);
    this.keys = Arrays.copyOf(b.keys, count);
    this.longIds = b.longIds == null ? null : Arrays.copyOf(b.longIds, count);
    this.stringIds = b.stringIds == null ? null : Arrays.copyOf(b.stringIds, count);
    this.chunk = Arrays.copyOf(b.chunk, count);
    this.offset = Arrays.copyOf(b.offset, count);
    this.length = Arrays.copyOf(b.length, count);
    this.chunks = b.chunks.toArray();
  }

  int count() {
    return count;
  }

  /** Row i's row in its scan block. */
  int blockRow(int i) {
    return blockRow[i];
  }

  /** The split key h. */
  long key(int i) {
    return keys[i];
  }

  /** The id as Spark's internal value: UTF8String or Long. */
  Object id(int i) {
    return stringIds != null ? stringIds[i] : (Object) longIds[i];
  }

  /** The array (float[] or double[], the input's type) holding row i's values, from {@link #offset}. */
  Object values(int i) {
    return chunks[chunk[i]];
  }

  /** Where row i's values start in {@link #values}. */
  int offset(int i) {
    return offset[i];
  }

  /** Row i's embedding length. */
  int length(int i) {
    return length[i];
  }

  /** Chunks holding the embeddings (for tests: how the values were packed). */
  int chunkCount() {
    return chunks.length;
  }

  static KeptRows none() {
    return new Builder(false, true).build();
  }

  /** Appends rows; {@link #build} freezes them. */
  static final class Builder {
    private final boolean floats;
    private int count;
    private int[] blockRow = new int[16];
    private long[] keys = new long[16];
    private long[] longIds;
    private UTF8String[] stringIds;
    private int[] chunk = new int[16];
    private int[] offset = new int[16];
    private int[] length = new int[16];
    private final List<Object> chunks = new ArrayList<>();
    private float[] floatChunk = new float[0];
    private double[] doubleChunk = new double[0];
    private int used;

    Builder(boolean stringId, boolean floats) {
      this.floats = floats;
      if (stringId) {
        stringIds = new UTF8String[16];
      } else {
        longIds = new long[16];
      }
    }

    /**
     * Keeps a row whose embedding's first {@code len} values are in {@code values}: a float[] for a
     * float input, a double[] otherwise.
     *
     * @param stringId the id of a string-id input (copied: the caller's buffer is reused), else null
     * @param longId   the id of a long-id input
     */
    void add(int row, long key, UTF8String stringId, long longId, Object values, int len) {
      if (count == blockRow.length) {
        int n = 2 * count;
        blockRow = Arrays.copyOf(blockRow, n);
        keys = Arrays.copyOf(keys, n);
        chunk = Arrays.copyOf(chunk, n);
        offset = Arrays.copyOf(offset, n);
        length = Arrays.copyOf(length, n);
        if (stringIds != null) {
          stringIds = Arrays.copyOf(stringIds, n);
        } else {
          longIds = Arrays.copyOf(longIds, n);
        }
      }
      int capacity = floats ? floatChunk.length : doubleChunk.length;
      if (chunks.isEmpty() || used + len > capacity) {
        int size = Math.max(len, Math.min(CHUNK_VALUES, Math.max(16_384, 2 * capacity)));
        if (floats) {
          floatChunk = new float[size];
          chunks.add(floatChunk);
        } else {
          doubleChunk = new double[size];
          chunks.add(doubleChunk);
        }
        used = 0;
      }
      System.arraycopy(values, 0, floats ? floatChunk : doubleChunk, used, len);
      blockRow[count] = row;
      keys[count] = key;
      if (stringIds != null) {
        stringIds[count] = stringId.clone();
      } else {
        longIds[count] = longId;
      }
      chunk[count] = chunks.size() - 1;
      offset[count] = used;
      length[count++] = len;
      used += len;
    }

    KeptRows build() {
      return new KeptRows(this);
    }
  }
}
