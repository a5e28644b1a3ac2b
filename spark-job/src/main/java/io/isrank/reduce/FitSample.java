package io.isrank.reduce;

import io.isrank.align.Projection;
import io.isrank.load.EmbeddingSource;
import io.isrank.load.InternalRows;
import io.isrank.validate.RecordSort;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.unsafe.types.UTF8String;
import scala.Tuple2;

/**
 * The fit sample in its canonical layout, as primitive blocks: every fit row goes to partition
 * {@link Projection#hashPartition}(h, n) — where Spark's {@code repartition(n, h)} would put it —
 * through one shuffle of primitive chunks (no Spark SQL, no row-by-row sort), and within a
 * partition each model's rows are in split-key order with identical copies dropped. Persisted: the
 * reduction's passes and the choice of directions read it, not the input.
 *
 * <p>Identical copies (one id given twice with the same embedding: validation let them through)
 * are recognised by (model, split key): the key is a 64-bit hash of (seed, id), so two ids of one
 * model share it with probability about n²/2⁶⁵ (10⁻¹¹ at 20,000 fit rows).
 */
public final class FitSample implements AutoCloseable {
  private final JavaRDD<Block> blocks;

  private FitSample(JavaRDD<Block> blocks) {
    this.blocks = blocks;
  }

  /** One partition's rows of one model, in split-key order. */
  static final class Block implements Serializable {
    private static final long serialVersionUID = 1L;
    final int model;
    final int dim;
    final long[] keys;
    final Object[] ids;
    final float[] floatValues;
    final double[] doubleValues;

    Block(int model, int dim, long[] keys, Object[] ids, float[] floatValues, double[] doubleValues) {
      this.model = model;
      this.dim = dim;
      this.keys = keys;
      this.ids = ids;
      this.floatValues = floatValues;
      this.doubleValues = doubleValues;
    }

    int rows() {
      return keys.length;
    }

    /** Row i's embedding as doubles, into {@code x} (length {@link #dim}). */
    void row(int i, double[] x) {
      int from = i * dim;
      if (floatValues != null) {
        for (int j = 0; j < dim; j++) {
          x[j] = floatValues[from + j];
        }
      } else {
        System.arraycopy(doubleValues, from, x, 0, dim);
      }
    }
  }

  /**
   * Lays out the fit sample's rows.
   *
   * @param candidates (model, id, embedding, h) rows, identical copies included
   * @param models     the models, in model order (a row's model is its index here)
   * @param partitions the fit partitions (a function of the fit size only)
   */
  public static FitSample of(InternalRows.Table candidates, List<String> models, int partitions) {
    boolean floats = EmbeddingSource.floats(candidates.schema());
    DataType idType = candidates.schema().apply(EmbeddingSource.ID).dataType();
    String[] names = models.toArray(new String[0]);
    return laidOut(candidates.rows().mapPartitionsToPair((Iterator<InternalRow> it) -> {
          Map<UTF8String, Integer> index = new java.util.HashMap<>();
          for (int i = 0; i < names.length; i++) {
            index.put(UTF8String.fromString(names[i]), i);
          }
          Chunk[] chunks = new Chunk[partitions];
          while (it.hasNext()) {
            InternalRow r = it.next();
            Integer model = r.isNullAt(0) ? null : index.get(r.getUTF8String(0));
            if (model == null) {
              continue;
            }
            long h = r.getLong(3);
            int t = Projection.hashPartition(h, partitions);
            Chunk c = chunks[t] == null ? chunks[t] = new Chunk(floats) : chunks[t];
            Object id = r.get(1, idType);
            c.add(model, h, id instanceof UTF8String s ? s.clone() : id, r.getArray(2));
          }
          for (int t = 0; t < partitions; t++) {
            chunks[t] = chunks[t] == null ? null : chunks[t].trim();
          }
          return sent(chunks);
        }), names.length, floats, partitions);
  }

  /**
   * Lays out the fit sample's rows from the validation scan's kept rows (the same layout as
   * {@link #of}, with no row objects between the scan's arrays and the shuffle's chunks).
   *
   * @param parts      the scan's fit rows, one part per scan block
   * @param models     how many models (a row's model is an index below it)
   * @param floats     whether the embeddings are floats
   * @param partitions the fit partitions (a function of the fit size only)
   */
  public static FitSample of(JavaRDD<io.isrank.validate.FitCandidates.Part> parts, int models, boolean floats,
      int partitions) {
    return laidOut(parts.mapPartitionsToPair((Iterator<io.isrank.validate.FitCandidates.Part> it) -> {
          // Two passes over the task's rows: count each target partition's rows and values, then
          // fill chunks of exactly that size (no growing, no trimming: a few hundred MB of fit
          // rows are copied once on their way to the shuffle).
          List<io.isrank.validate.FitCandidates.Part> task = new ArrayList<>();
          it.forEachRemaining(task::add);
          int[] rows = new int[partitions];
          long[] values = new long[partitions];
          for (io.isrank.validate.FitCandidates.Part p : task) {
            for (int i = 0; i < p.count(); i++) {
              int t = Projection.hashPartition(p.key(i), partitions);
              rows[t]++;
              values[t] += p.length(i);
            }
          }
          Chunk[] chunks = new Chunk[partitions];
          for (int t = 0; t < partitions; t++) {
            chunks[t] = rows[t] == 0 ? null : new Chunk(floats, rows[t], Math.toIntExact(values[t]));
          }
          for (io.isrank.validate.FitCandidates.Part p : task) {
            for (int i = 0; i < p.count(); i++) {
              long h = p.key(i);
              chunks[Projection.hashPartition(h, partitions)].add(p.model(i), h, p.id(i), p.values(i), p.offset(i),
                  p.length(i));
            }
          }
          return sent(chunks);
        }), models, floats, partitions);
  }

  /** A task's chunks as (target partition, chunk) pairs, the empty targets left out. */
  private static Iterator<Tuple2<Integer, Chunk>> sent(Chunk[] chunks) {
    List<Tuple2<Integer, Chunk>> out = new ArrayList<>();
    for (int t = 0; t < chunks.length; t++) {
      if (chunks[t] != null) {
        out.add(new Tuple2<>(t, chunks[t]));
      }
    }
    return out.iterator();
  }

  /** The one shuffle: each chunk to its partition, where the blocks are built and kept. */
  private static FitSample laidOut(org.apache.spark.api.java.JavaPairRDD<Integer, Chunk> chunks, int models,
      boolean floats, int partitions) {
    return new FitSample(chunks
        .partitionBy(new org.apache.spark.HashPartitioner(partitions)) // Integer keys 0 … n − 1: partition = key
        .mapPartitions(it -> blocks(it, models, floats).iterator(), true)
        .persist(StorageLevel.MEMORY_AND_DISK()));
  }

  /** The blocks, in partition order and model order within a partition. */
  JavaRDD<Block> blocks() {
    return blocks;
  }

  @Override
  public void close() {
    blocks.unpersist(false);
  }

  /** Fit rows bound for one partition, as primitives. */
  static final class Chunk implements Serializable {
    private static final long serialVersionUID = 1L;
    private final boolean floats;
    private int rows;
    private int[] models;
    private long[] keys;
    private Object[] ids;
    private int[] offsets;
    private float[] floatValues;
    private double[] doubleValues;

    Chunk(boolean floats) {
      this(floats, 64, 64 * 64);
    }

    /** A chunk with room for {@code rows} rows of {@code values} values in all before it grows. */
    Chunk(boolean floats, int rows, int values) {
      this.floats = floats;
      models = new int[Math.max(1, rows)];
      keys = new long[Math.max(1, rows)];
      ids = new Object[Math.max(1, rows)];
      offsets = new int[Math.max(1, rows) + 1];
      if (floats) {
        floatValues = new float[values];
      } else {
        doubleValues = new double[values];
      }
    }

    void add(int model, long h, Object id, org.apache.spark.sql.catalyst.util.ArrayData embedding) {
      if (floats) {
        add(model, h, id, embedding.toFloatArray(), 0, embedding.numElements());
      } else {
        add(model, h, id, embedding.toDoubleArray(), 0, embedding.numElements());
      }
    }

    /** This chunk with its arrays cut to their contents (what the shuffle writes). */
    Chunk trim() {
      models = java.util.Arrays.copyOf(models, rows);
      keys = java.util.Arrays.copyOf(keys, rows);
      ids = java.util.Arrays.copyOf(ids, rows);
      offsets = java.util.Arrays.copyOf(offsets, rows + 1);
      if (floats) {
        floatValues = java.util.Arrays.copyOf(floatValues, offsets[rows]);
      } else {
        doubleValues = java.util.Arrays.copyOf(doubleValues, offsets[rows]);
      }
      return this;
    }

    /** A row whose embedding is {@code values[from, from + d)}, values a float[] or double[] as the chunk's. */
    void add(int model, long h, Object id, Object values, int from, int d) {
      if (rows == keys.length) {
        int n = 2 * rows;
        models = java.util.Arrays.copyOf(models, n);
        keys = java.util.Arrays.copyOf(keys, n);
        ids = java.util.Arrays.copyOf(ids, n);
        offsets = java.util.Arrays.copyOf(offsets, n + 1);
      }
      int at = offsets[rows];
      if (floats) {
        if (at + d > floatValues.length) {
          floatValues = java.util.Arrays.copyOf(floatValues, Math.max(2 * floatValues.length, at + d));
        }
        System.arraycopy((float[]) values, from, floatValues, at, d);
      } else {
        if (at + d > doubleValues.length) {
          doubleValues = java.util.Arrays.copyOf(doubleValues, Math.max(2 * doubleValues.length, at + d));
        }
        System.arraycopy((double[]) values, from, doubleValues, at, d);
      }
      models[rows] = model;
      keys[rows] = h;
      ids[rows] = id;
      offsets[rows + 1] = at + d;
      rows++;
    }
  }

  /**
   * One partition's blocks from its chunks: per model, the rows sorted by split key with identical
   * copies (equal keys) dropped; the result depends on the rows alone, not on the chunks' order.
   */
  static List<Block> blocks(Iterator<Tuple2<Integer, Chunk>> it, int models, boolean floats) {
    List<Chunk> chunks = new ArrayList<>();
    while (it.hasNext()) {
      chunks.add(it.next()._2());
    }
    List<Block> out = new ArrayList<>();
    for (int m = 0; m < models; m++) {
      int n = 0;
      for (Chunk c : chunks) {
        for (int r = 0; r < c.rows; r++) {
          n += c.models[r] == m ? 1 : 0;
        }
      }
      if (n == 0) {
        continue;
      }
      long[] rec = new long[4 * n]; // h, 0, 0, (chunk, row) — sorted by h
      int i = 0;
      int dim = -1;
      for (int k = 0; k < chunks.size(); k++) {
        Chunk c = chunks.get(k);
        for (int r = 0; r < c.rows; r++) {
          if (c.models[r] == m) {
            rec[4 * i] = c.keys[r];
            rec[4 * i + 3] = ((long) k << 32) | r;
            dim = c.offsets[r + 1] - c.offsets[r];
            i++;
          }
        }
      }
      int[] order = RecordSort.byKeys(rec, n);
      int kept = 0;
      for (int j = 0; j < n; j++) {
        kept += j == 0 || rec[4 * order[j]] != rec[4 * order[j - 1]] ? 1 : 0;
      }
      long[] keys = new long[kept];
      Object[] ids = new Object[kept];
      float[] fv = floats ? new float[kept * dim] : null;
      double[] dv = floats ? null : new double[kept * dim];
      int w = 0;
      for (int j = 0; j < n; j++) {
        int o = order[j];
        if (j > 0 && rec[4 * o] == rec[4 * order[j - 1]]) {
          continue; // an identical copy of the row before
        }
        Chunk c = chunks.get((int) (rec[4 * o + 3] >>> 32));
        int r = (int) rec[4 * o + 3];
        keys[w] = c.keys[r];
        ids[w] = c.ids[r];
        if (floats) {
          System.arraycopy(c.floatValues, c.offsets[r], fv, w * dim, dim);
        } else {
          System.arraycopy(c.doubleValues, c.offsets[r], dv, w * dim, dim);
        }
        w++;
      }
      out.add(new Block(m, dim, keys, ids, fv, dv));
    }
    return out;
  }
}
