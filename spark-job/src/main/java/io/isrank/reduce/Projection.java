package io.isrank.reduce;

import static org.apache.spark.sql.functions.col;

import io.isrank.align.Split;
import io.isrank.fit.AlignedRows;
import io.isrank.load.EmbeddingSource;
import io.isrank.load.InternalRows;
import io.isrank.math.ModelReduction;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
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
 * whitens each embedding and sends only the short whitened vector, tagged with its model and the
 * item's target partition, through one shuffle. The shuffle puts every item in the partition its
 * {@link Layout} names and sorts each partition by (h, id, model); the models' rows of an item are
 * then adjacent and are joined by one scan, keeping items that every model has. Because an item's
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

  /** Spark's hash partition of a long key (HashPartitioning: pmod(murmur3(key, 42), n)). */
  static int hashPartition(long key, int n) {
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

  /** The fit items whose key is a multiple of {@code stride}, in {@code partitions} partitions. */
  public static Layout fitSubset(Split split, long stride, int partitions) {
    long fitMax = split.fitMaxKey();
    return new Layout() {
      @Override
      public int partitions() {
        return partitions;
      }

      @Override
      public int partitionOf(long h) {
        return h <= fitMax && Math.floorMod(h, stride) == 0 ? hashPartition(h, partitions) : -1;
      }
    };
  }

  /** The aligned items of a layout, all its partitions; cut it with {@link #partitions}. */
  public record Aligned(JavaRDD<InternalRow> rows, StructType schema) {}

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
    int[] code = partitionCodes(layout.partitions());

    // Pass over the raw rows: (pid, h, id, model, z) for every row the layout keeps.
    Dataset<Row> keyed = valid.select(col(EmbeddingSource.MODEL), col(EmbeddingSource.ID),
        col(EmbeddingSource.EMBEDDING), Split.key(seed).as(Split.KEY));
    JavaRDD<InternalRow> projected = keyed.queryExecution().toRdd().toJavaRDD().mapPartitions(
        (Iterator<InternalRow> it) -> {
          ModelReduction[] reduce = shared.value();
          Map<UTF8String, Integer> index = new HashMap<>();
          for (int i = 0; i < names.length; i++) {
            index.put(UTF8String.fromString(names[i]), i);
          }
          return new Filtered<>(it, r -> {
            long h = r.getLong(3);
            int t = layout.partitionOf(h);
            Integer model = t < 0 || r.isNullAt(0) ? null : index.get(r.getUTF8String(0));
            if (model == null) {
              return null;
            }
            double[] z = reduce[model].apply(EmbeddingSource.vector(r.getArray(2), floats));
            Object id = stringId ? r.getUTF8String(1).clone() : (Object) r.getLong(1);
            return new GenericInternalRow(new Object[] {code[t], h, id, model, UnsafeArrayData.fromPrimitiveArray(z)});
          });
        });
    StructType tagged = new StructType(new StructField[] {
        new StructField("pid", DataTypes.IntegerType, false, Metadata.empty()),
        new StructField(Split.KEY, DataTypes.LongType, false, Metadata.empty()),
        new StructField(EmbeddingSource.ID, idType, false, Metadata.empty()),
        new StructField("m", DataTypes.IntegerType, false, Metadata.empty()),
        new StructField("z", DataTypes.createArrayType(DataTypes.DoubleType, false), false, Metadata.empty())});
    // The one shuffle: pid is chosen so that Spark's hash partitioning sends each row to partition t.
    Dataset<Row> shuffled = InternalRows.dataFrame(spark, projected, tagged)
        .repartition(layout.partitions(), col("pid"))
        .sortWithinPartitions(col(Split.KEY), col(EmbeddingSource.ID), col("m"));
    JavaRDD<InternalRow> joined = shuffled.queryExecution().toRdd().toJavaRDD().mapPartitions(
        (Iterator<InternalRow> it) -> new Joiner(it, m, stringId));

    List<StructField> fields = new ArrayList<>();
    fields.add(new StructField(Split.KEY, DataTypes.LongType, false, Metadata.empty()));
    fields.add(new StructField(EmbeddingSource.ID, idType, false, Metadata.empty()));
    for (int i = 0; i < m; i++) {
      fields.add(new StructField(AlignedRows.column(i), DataTypes.createArrayType(DataTypes.DoubleType, false), false,
          Metadata.empty()));
    }
    return new Aligned(joined, new StructType(fields.toArray(new StructField[0])));
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

  /**
   * For each target partition t of n, an int whose Spark hash partition (pmod(murmur3(v, 42), n))
   * is t: a column of these makes {@code repartition(n, column)} place rows exactly.
   */
  static int[] partitionCodes(int n) {
    int[] code = new int[n];
    java.util.Arrays.fill(code, -1);
    int found = 0;
    for (int v = 0; found < n; v++) {
      int t = Math.floorMod(Murmur3_x86_32.hashInt(v, 42), n);
      if (code[t] < 0) {
        code[t] = v;
        found++;
      }
    }
    return code;
  }

  /**
   * An iterator that computes its elements one ahead: {@link #compute} gives the next one, or null
   * when there are no more.
   */
  private abstract static class Lookahead implements Iterator<InternalRow> {
    private InternalRow next;

    /** The next element, or null at the end. */
    protected abstract InternalRow compute();

    @Override
    public boolean hasNext() {
      if (next == null) {
        next = compute();
      }
      return next != null;
    }

    @Override
    public InternalRow next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      InternalRow r = next;
      next = null;
      return r;
    }
  }

  /** Maps rows and skips those the function maps to null. */
  private static final class Filtered<T> extends Lookahead {
    private final Iterator<T> in;
    private final java.util.function.Function<T, InternalRow> f;

    Filtered(Iterator<T> in, java.util.function.Function<T, InternalRow> f) {
      this.in = in;
      this.f = f;
    }

    @Override
    protected InternalRow compute() {
      while (in.hasNext()) {
        InternalRow r = f.apply(in.next());
        if (r != null) {
          return r;
        }
      }
      return null;
    }
  }

  /**
   * Joins the adjacent rows (h, id, model, z) of each item, sorted by (h, id, model), into one
   * row (h, id, z0 … z(M−1)) when every model has the item; of identical copies (duplicates that
   * validation collapsed) the first is kept.
   */
  private static final class Joiner extends Lookahead {
    private final Iterator<InternalRow> in;
    private final int models;
    private final boolean stringId;
    private InternalRow pending;

    Joiner(Iterator<InternalRow> in, int models, boolean stringId) {
      this.in = in;
      this.models = models;
      this.stringId = stringId;
    }

    @Override
    protected InternalRow compute() {
      while (pending != null || in.hasNext()) {
        InternalRow first = pending != null ? pending : in.next().copy();
        pending = null;
        long h = first.getLong(1);
        Object id = stringId ? first.getUTF8String(2) : (Object) first.getLong(2);
        Object[] z = new Object[models];
        int have = 0;
        InternalRow r = first;
        while (true) {
          int model = r.getInt(3);
          if (z[model] == null) {
            z[model] = r.getArray(4);
            have++;
          }
          if (!in.hasNext()) {
            break;
          }
          InternalRow following = in.next().copy();
          if (following.getLong(1) != h || !sameId(following, id)) {
            pending = following;
            break;
          }
          r = following;
        }
        if (have == models) {
          Object[] values = new Object[2 + models];
          values[0] = h;
          values[1] = id;
          System.arraycopy(z, 0, values, 2, models);
          return new GenericInternalRow(values);
        }
      }
      return null;
    }

    private boolean sameId(InternalRow r, Object id) {
      return stringId ? r.getUTF8String(2).equals(id) : r.getLong(2) == (Long) id;
    }
  }
}
