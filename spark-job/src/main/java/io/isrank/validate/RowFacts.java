package io.isrank.validate;

import io.isrank.load.EmbeddingSource;
import io.isrank.load.InternalRows;
import java.util.Iterator;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * One pass over the raw rows that keeps, per row, what validation needs and drops the embedding:
 * (model, id, len, null_id, non_finite, eh) — the embedding's length (−1 when it is null),
 * whether the id is null, whether any element is NaN, ±Infinity or null, and a 64-bit hash of its
 * values for telling identical copies of an id from conflicting ones.
 *
 * <p>The pass reads Spark's internal rows: each embedding is scanned once as primitive doubles, with
 * no boxing and no per-element SQL lambda (a {@code exists(x -> …)} check is interpreted element by
 * element, which made validation 30× slower than reading the data). Every later check — counts by
 * problem, dimensions, duplicates, conflicts, alignment — is an aggregation over this small table.
 */
final class RowFacts {
  public static final String LEN = "len";
  public static final String NULL_ID = "null_id";
  public static final String NON_FINITE = "non_finite";
  public static final String HASH = "eh";

  private RowFacts() {}

  /** The facts table of (model, id, embedding) rows, one row per input row. */
  public static Dataset<Row> of(SparkSession spark, Dataset<Row> rows) {
    DataType idType = rows.schema().apply(EmbeddingSource.ID).dataType();
    boolean stringId = idType.equals(DataTypes.StringType);
    boolean floats = EmbeddingSource.floats(rows);
    Dataset<Row> input = rows.select(EmbeddingSource.MODEL, EmbeddingSource.ID, EmbeddingSource.EMBEDDING);
    JavaRDD<InternalRow> facts = input.queryExecution().toRdd().toJavaRDD().mapPartitions(
        (Iterator<InternalRow> it) -> new Iterator<InternalRow>() {
          @Override
          public boolean hasNext() {
            return it.hasNext();
          }

          @Override
          public InternalRow next() {
            return facts(it.next(), stringId, floats);
          }
        });
    StructType schema = new StructType(new StructField[] {
        new StructField(EmbeddingSource.MODEL, DataTypes.StringType, true, Metadata.empty()),
        new StructField(EmbeddingSource.ID, idType, true, Metadata.empty()),
        new StructField(LEN, DataTypes.IntegerType, false, Metadata.empty()),
        new StructField(NULL_ID, DataTypes.BooleanType, false, Metadata.empty()),
        new StructField(NON_FINITE, DataTypes.BooleanType, false, Metadata.empty()),
        new StructField(HASH, DataTypes.LongType, false, Metadata.empty())});
    return InternalRows.dataFrame(spark, facts, schema);
  }

  /** The facts of one row (copies what it keeps: Spark reuses the input row's buffer). */
  static InternalRow facts(InternalRow r, boolean stringId, boolean floats) {
    Object model = r.isNullAt(0) ? null : r.getUTF8String(0).clone();
    boolean nullId = r.isNullAt(1);
    Object id = nullId ? null : stringId ? r.getUTF8String(1).clone() : (Object) r.getLong(1);
    int len = -1;
    boolean nonFinite = false;
    long hash = 0;
    if (!r.isNullAt(2)) {
      ArrayData a = r.getArray(2);
      len = a.numElements();
      long h = EmbeddingHash.start(len);
      for (int j = 0; j < len; j++) {
        if (a.isNullAt(j)) {
          nonFinite = true;
          continue;
        }
        double x = floats ? a.getFloat(j) : a.getDouble(j);
        if (x - x != 0) { // NaN or ±Infinity
          nonFinite = true;
        }
        h = EmbeddingHash.mix(h, x);
      }
      hash = EmbeddingHash.finish(h);
    }
    return new GenericInternalRow(new Object[] {model, id, len, nullId, nonFinite, hash});
  }

  /** The hash {@link #of} gives an embedding (for tests). */
  static long hashOf(double[] x) {
    return EmbeddingHash.of(x);
  }
}
