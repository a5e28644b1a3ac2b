package io.isrank.align;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.xxhash64;

import io.isrank.align.AlignedRows;
import io.isrank.load.EmbeddingSource;
import io.isrank.load.InternalRows;
import io.isrank.math.ModelReduction;
import io.isrank.split.Split;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.rdd.PartitionPruningRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeArrayData;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.hash.Murmur3_x86_32;
import org.apache.spark.unsafe.types.UTF8String;
import scala.reflect.ClassTag$;
import scala.runtime.AbstractFunction1;

/**
 * Applies each model's whitening to its rows and aligns the models by id into one row per item,
 * (h, id, z0 … z(M−1)), z_m the model's whitened p-vector, in a canonical layout.
 *
 * <p>One pass reads the raw rows as Spark's internal rows (primitive arrays; no boxing, no UDF),
 * whitens each embedding and appends the short whitened vector, with its split key, id hash and
 * model, to a primitive chunk per target partition; one shuffle moves the chunks (a few large
 * records per task, not a row each). Each partition — the one its {@link Layout} names for every
 * item — sorts its rows by (h, id hash, model) with a radix sort, so the models' rows of an item are
 * adjacent, and joins them by one scan, keeping items that every model has. Because an item's
 * partition and position depend on its id and the seed only, every partition holds the same rows
 * in the same order on any cluster, so per-partition sums are reproducible to the last bit.
 */
public final class Projection {
  private Projection() {}

  /** Where each item goes: a partition in [0, {@link #partitions()}), or −1 to leave it out. */
  public interface Layout extends Serializable {
    int partitions();

    int partitionOf(long key);
  }

  /**
   * The canonical partition of a split key among n: where Spark's {@code repartition(n, h)} would
   * put it (HashPartitioning: pmod(murmur3(key, 42), n)). The fit sample ({@code FitSample}) and
   * the aligned rows are both laid out by it.
   */
  public static int hashPartition(long key, int n) {
    return Math.floorMod(Murmur3_x86_32.hashLong(key, 42), n);
  }

  /**
   * The split's layout: fit items in partitions [0, fitPartitions), evaluation items in the next
   * evalPartitions, each by the hash of its key (as Spark's {@code repartition(n, h)} would place
   * them); items beyond the evaluation cap are left out.
   */
  public static Layout split(Split split, int fitPartitions, int evalPartitions) {
    long fitMax = split.fitMaxKey();
    long evalMax = split.evalMaxKey();
    return new Layout() {
      @Override
      public int partitions() {
        return fitPartitions + evalPartitions;
      }

      @Override
      public int partitionOf(long h) {
        return h <= fitMax ? hashPartition(h, fitPartitions)
            : h <= evalMax ? fitPartitions + hashPartition(h, evalPartitions) : -1;
      }
    };
  }

  /**
   * The aligned items of a layout, all its partitions, one {@link Items} block each (persist
   * {@link #blocks} to keep them: a few primitive arrays per partition); cut it with
   * {@link #partitions}.
   */
  public record Aligned(JavaRDD<Items> blocks, StructType schema) {
    /** The items as rows (h, id, z0 … z(M−1)), partition i of the blocks giving partition i. */
    public JavaRDD<InternalRow> rows() {
      return blocks.mapPartitions(it -> it.hasNext() ? it.next().rows() : java.util.Collections.emptyIterator(),
          true);
    }

    /** Items per partition, in partition order (one job over the blocks). */
    public long[] counts() {
      List<scala.Tuple2<Integer, Long>> parts = blocks.mapPartitionsWithIndex((Integer i, Iterator<Items> it) -> {
        long n = 0;
        while (it.hasNext()) {
          n += it.next().count();
        }
        return List.of(new scala.Tuple2<>(i, n)).iterator();
      }, true).collect();
      long[] counts = new long[blocks.getNumPartitions()];
      parts.forEach(t -> counts[t._1()] += t._2());
      return counts;
    }
  }

  /**
   * One partition's aligned items, as primitives: split keys, ids and each model's whitened
   * vectors (item k's in [k·p, (k+1)·p) of the model's array), in the partition's canonical order.
   * Rows are made from it as they are read, so a kept partition is a few arrays, not an object
   * per item and model.
   */
  public static final class Items implements Serializable {
    private static final long serialVersionUID = 1L;
    private final long[] keys;
    private final long[] longIds;
    private final byte[][] stringIds;
    private final int[] widths;
    private final double[][] z;

    Items(long[] keys, long[] longIds, byte[][] stringIds, int[] widths, double[][] z) {
      this.keys = keys;
      this.longIds = longIds;
      this.stringIds = stringIds;
      this.widths = widths;
      this.z = z;
    }

    public int count() {
      return keys.length;
    }

    /** The items as (h, id, z0 … z(M−1)) rows, each row new (callers may keep them). */
    Iterator<InternalRow> rows() {
      return new Iterator<>() {
        private int k;

        @Override
        public boolean hasNext() {
          return k < keys.length;
        }

        @Override
        public InternalRow next() {
          if (k >= keys.length) {
            throw new java.util.NoSuchElementException();
          }
          Object[] row = new Object[2 + widths.length];
          row[0] = keys[k];
          row[1] = longIds != null ? (Object) longIds[k] : UTF8String.fromBytes(stringIds[k]);
          for (int m = 0; m < widths.length; m++) {
            row[2 + m] = UnsafeArrayData.fromPrimitiveArray(z[m],
                Math.toIntExact(org.apache.spark.unsafe.Platform.DOUBLE_ARRAY_OFFSET + 8L * k * widths[m]), widths[m], 8);
          }
          k++;
          return new GenericInternalRow(row);
        }
      };
    }
  }

  /**
   * Whitens every valid row and aligns the models by id into the layout's partitions.
   *
   * @param valid (model, id, embedding) rows
   */
  public static Aligned aligned(SparkSession spark, Dataset<Row> valid, List<ModelReduction> reductions,
      List<String> models, long seed, Layout layout) {
    int m = models.size();
    DataType idType = valid.schema().apply(EmbeddingSource.ID).dataType();
    boolean stringId = idType.equals(DataTypes.StringType);
    boolean floats = EmbeddingSource.floats(valid);
    Broadcast<ModelReduction[]> shared = JavaSparkContext.fromSparkContext(spark.sparkContext())
        .broadcast(reductions.toArray(new ModelReduction[0]));
    String[] names = models.toArray(new String[0]);
    int[] widths = reductions.stream().mapToInt(r -> r.whitening().reducedDim()).toArray();

    // Pass over the raw rows: each row the layout keeps is whitened and appended, as primitives,
    // to the chunk of its target partition; one chunk per (task, target) goes through the shuffle.
    Dataset<Row> keyed = valid.select(col(EmbeddingSource.MODEL), col(EmbeddingSource.ID),
        col(EmbeddingSource.EMBEDDING), EmbeddingSource.itemKey(seed).as(EmbeddingSource.KEY), xxhash64(col(EmbeddingSource.ID)));
    int partitions = layout.partitions();
    JavaRDD<Items> joined = keyed.queryExecution().toRdd().toJavaRDD()
        .mapPartitionsToPair((Iterator<InternalRow> it) -> {
          ModelReduction[] reduce = shared.value();
          Map<UTF8String, Integer> index = new HashMap<>();
          for (int i = 0; i < names.length; i++) {
            index.put(UTF8String.fromString(names[i]), i);
          }
          Chunk[] chunks = new Chunk[partitions];
          // Each model's rows are reduced in batches (vectorised across rows or four at a time, the
          // same bits as one by one); a row's chunk does not depend on when it is appended.
          Pending[] pending = new Pending[reduce.length];
          for (int i = 0; i < reduce.length; i++) {
            pending[i] = new Pending(reduce[i]);
          }
          // Rows of one model come in long runs, or interleaved models repeat one order: the last
          // model, then the one that followed it before, are compared before the map is asked.
          UTF8String[] known = new UTF8String[names.length];
          for (int i = 0; i < names.length; i++) {
            known[i] = UTF8String.fromString(names[i]);
          }
          int[] successor = new int[names.length];
          java.util.Arrays.fill(successor, -1);
          UTF8String lastName = null;
          Integer lastModel = null;
          while (it.hasNext()) {
            InternalRow r = it.next();
            long h = r.getLong(3);
            int t = layout.partitionOf(h);
            if (t < 0 || r.isNullAt(0)) {
              continue;
            }
            UTF8String name = r.getUTF8String(0);
            if (lastName == null || !lastName.equals(name)) {
              int guess = lastModel == null ? -1 : successor[lastModel];
              if (guess >= 0 && known[guess].equals(name)) {
                lastName = known[guess];
                lastModel = guess;
              } else {
                Integer found = index.get(name);
                if (found != null && lastModel != null) {
                  successor[lastModel] = found;
                }
                lastName = found == null ? name.clone() : known[found]; // the row's buffer is reused
                lastModel = found;
              }
            }
            Integer model = lastModel;
            if (model == null) {
              continue;
            }
            Object id = model == 0 ? (stringId ? r.getUTF8String(1).getBytes() : (Object) r.getLong(1)) : null;
            Pending p = pending[model];
            InternalRows.readDoubles(r.getArray(2), floats, p.batch.next());
            if (p.hold(t, h, r.getLong(4), id)) {
              p.flush(model, chunks, stringId);
            }
          }
          for (int i = 0; i < reduce.length; i++) {
            pending[i].flush(i, chunks, stringId);
          }
          List<scala.Tuple2<Integer, Chunk>> out = new ArrayList<>();
          for (int t = 0; t < partitions; t++) {
            if (chunks[t] != null) {
              out.add(new scala.Tuple2<>(t, chunks[t].trim()));
            }
          }
          return out.iterator();
        })
        .partitionBy(new org.apache.spark.HashPartitioner(partitions)) // Integer keys 0 … n − 1: partition = key
        .mapPartitions(it -> List.of(Chunk.join(it, widths, stringId)).iterator(), true);

    List<StructField> fields = new ArrayList<>();
    fields.add(new StructField(EmbeddingSource.KEY, DataTypes.LongType, false, Metadata.empty()));
    fields.add(new StructField(EmbeddingSource.ID, idType, false, Metadata.empty()));
    for (int i = 0; i < m; i++) {
      fields.add(new StructField(AlignedRows.column(i), DataTypes.createArrayType(DataTypes.DoubleType, false), false,
          Metadata.empty()));
    }
    return new Aligned(joined, new StructType(fields.toArray(new StructField[0])));
  }

  /** One model's rows read but not yet reduced, with where each goes. */
  private static final class Pending {
    final ModelReduction.Batch batch;
    final int[] target = new int[ModelReduction.Batch.ROWS];
    final long[] h = new long[ModelReduction.Batch.ROWS];
    final long[] h2 = new long[ModelReduction.Batch.ROWS];
    final Object[] id = new Object[ModelReduction.Batch.ROWS];

    Pending(ModelReduction reduction) {
      batch = new ModelReduction.Batch(reduction);
    }

    /** Records the row whose values were just read into the batch; true when the batch is full. */
    boolean hold(int t, long key, long idHash, Object rowId) {
      int k = batch.rows();
      target[k] = t;
      h[k] = key;
      h2[k] = idHash;
      id[k] = rowId;
      batch.added();
      return batch.full();
    }

    void flush(int model, Chunk[] chunks, boolean stringId) {
      batch.reduce();
      for (int k = 0; k < batch.rows(); k++) {
        Chunk c = chunks[target[k]] == null ? chunks[target[k]] = new Chunk(stringId) : chunks[target[k]];
        c.add(h[k], h2[k], model, batch.out(k), id[k]);
        id[k] = null;
      }
      batch.clear();
    }
  }

  /**
   * Whitened rows bound for one partition, as primitives: per row its split key, id hash and model
   * (stride 3), its vector (appended to one array), and the id of model 0's rows (every aligned
   * item has one).
   */
  static final class Chunk implements Serializable {
    private static final long serialVersionUID = 1L;
    private long[] keys = new long[3 * 64];
    private double[] z = new double[64 * 8];
    private int rows;
    private int values;
    private long[] longIds;
    private byte[][] stringIds;
    private int ids;

    Chunk(boolean stringId) {
      if (stringId) {
        stringIds = new byte[16][];
      } else {
        longIds = new long[16];
      }
    }

    void add(long h, long h2, int model, double[] vector, Object id) {
      if (3 * rows + 3 > keys.length) {
        keys = java.util.Arrays.copyOf(keys, 2 * keys.length);
      }
      keys[3 * rows] = h;
      keys[3 * rows + 1] = h2;
      keys[3 * rows + 2] = model;
      rows++;
      if (values + vector.length > z.length) {
        z = java.util.Arrays.copyOf(z, Math.max(2 * z.length, values + vector.length));
      }
      System.arraycopy(vector, 0, z, values, vector.length);
      values += vector.length;
      if (id != null) {
        if (longIds != null) {
          if (ids == longIds.length) {
            longIds = java.util.Arrays.copyOf(longIds, 2 * ids);
          }
          longIds[ids++] = (Long) id;
        } else {
          if (ids == stringIds.length) {
            stringIds = java.util.Arrays.copyOf(stringIds, 2 * ids);
          }
          stringIds[ids++] = (byte[]) id;
        }
      }
    }

    Chunk trim() {
      keys = java.util.Arrays.copyOf(keys, 3 * rows);
      z = java.util.Arrays.copyOf(z, values);
      if (longIds != null) {
        longIds = java.util.Arrays.copyOf(longIds, ids);
      } else {
        stringIds = java.util.Arrays.copyOf(stringIds, ids);
      }
      return this;
    }

    /**
     * One partition's aligned items from its chunks: the rows sorted by (h, id hash, model), and
     * every item that every model has joined; of identical copies (duplicates that validation
     * collapsed) the first is kept. The order depends on the rows alone, not on the chunks' order.
     */
    static Items join(Iterator<scala.Tuple2<Integer, Chunk>> it, int[] widths, boolean stringId) {
      List<Chunk> chunks = new ArrayList<>();
      int n = 0;
      while (it.hasNext()) {
        Chunk c = it.next()._2();
        chunks.add(c);
        n += c.rows;
      }
      int models = widths.length;
      long[] rec = new long[4 * n]; // h, id hash, (chunk, row, value offset) packed, model
      int[] valueAt = new int[n];
      int[] chunkOf = new int[n];
      int[] idAt = new int[n];
      int i = 0;
      for (int k = 0; k < chunks.size(); k++) {
        Chunk c = chunks.get(k);
        int v = 0;
        int id = 0;
        for (int r = 0; r < c.rows; r++, i++) {
          int model = (int) c.keys[3 * r + 2];
          rec[4 * i] = c.keys[3 * r];
          rec[4 * i + 1] = c.keys[3 * r + 1];
          rec[4 * i + 3] = model;
          valueAt[i] = v;
          chunkOf[i] = k;
          idAt[i] = model == 0 ? id++ : -1;
          v += widths[model];
        }
      }
      int[] order = io.isrank.validate.RecordSort.byKeys(rec, n);
      // First pass: each complete item's record per model (the first copy of each).
      int[] picked = new int[models * Math.max(1, n / Math.max(1, models))];
      int items = 0;
      int[] at = new int[models];
      int a = 0;
      while (a < n) {
        long h = rec[4 * order[a]];
        long h2 = rec[4 * order[a] + 1];
        java.util.Arrays.fill(at, -1);
        int have = 0;
        int b = a;
        while (b < n && rec[4 * order[b]] == h && rec[4 * order[b] + 1] == h2) {
          int model = (int) rec[4 * order[b] + 3];
          if (at[model] < 0) {
            at[model] = order[b];
            have++;
          }
          b++;
        }
        if (have == models) {
          if ((items + 1) * models > picked.length) {
            picked = java.util.Arrays.copyOf(picked, 2 * picked.length + models);
          }
          System.arraycopy(at, 0, picked, items * models, models);
          items++;
        }
        a = b;
      }
      // Second pass: the items' keys, ids and vectors into arrays of their exact size.
      long[] keys = new long[items];
      long[] longIds = stringId ? null : new long[items];
      byte[][] stringIds = stringId ? new byte[items][] : null;
      double[][] z = new double[models][];
      for (int m = 0; m < models; m++) {
        z[m] = new double[items * widths[m]];
      }
      for (int k = 0; k < items; k++) {
        int first = picked[k * models];
        keys[k] = rec[4 * first];
        for (int m = 0; m < models; m++) {
          int x = picked[k * models + m];
          Chunk c = chunks.get(chunkOf[x]);
          System.arraycopy(c.z, valueAt[x], z[m], k * widths[m], widths[m]);
          if (m == 0) {
            if (stringId) {
              stringIds[k] = c.stringIds[idAt[x]];
            } else {
              longIds[k] = c.longIds[idAt[x]];
            }
          }
        }
      }
      return new Items(keys, longIds, stringIds, widths.clone(), z);
    }
  }

  /** Partitions [from, to) of the aligned items as a DataFrame with as many partitions. */
  public static Dataset<Row> partitions(SparkSession spark, Aligned aligned, int from, int to) {
    PartitionPruningRDD<InternalRow> kept = PartitionPruningRDD.create(aligned.rows().rdd(), new Range(from, to));
    return InternalRows.dataFrame(spark, new JavaRDD<>(kept, ClassTag$.MODULE$.apply(InternalRow.class)),
        aligned.schema());
  }

  /** Keeps partition i when from ≤ i &lt; to. */
  private static final class Range extends AbstractFunction1<Object, Object> implements Serializable {
    private final int from;
    private final int to;

    Range(int from, int to) {
      this.from = from;
      this.to = to;
    }

    @Override
    public Object apply(Object i) {
      int p = (Integer) i;
      return p >= from && p < to;
    }
  }

}
