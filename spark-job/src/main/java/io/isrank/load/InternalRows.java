package io.isrank.load;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.StructType;

/**
 * DataFrames from RDDs of Spark's internal rows. isrank's passes over the embeddings read and
 * write internal rows (primitive arrays, no boxing); this turns their output back into a DataFrame
 * for the aggregations and shuffles that SQL does well, with no conversion per row.
 */
public final class InternalRows {
  private InternalRows() {}

  /**
   * Rows of Spark's internal values with their schema, handed from one stage's task code to
   * another's without a DataFrame between them (no conversion to Spark's unsafe row format).
   */
  public record Table(JavaRDD<InternalRow> rows, StructType schema) {}

  /**
   * The rows as a DataFrame of {@code schema}. Each row must hold Spark's internal values for its
   * schema (UTF8String for strings, ArrayData for arrays, boxed primitives otherwise).
   */
  public static Dataset<Row> dataFrame(SparkSession spark, JavaRDD<InternalRow> rows, StructType schema) {
    // Spark's own constructor for this (the classic session's internalCreateDataFrame) is
    // package-private in Scala and public in the bytecode: the one internal call isrank makes.
    return ((org.apache.spark.sql.classic.SparkSession) spark).internalCreateDataFrame(rows.rdd(), schema, false);
  }

  /**
   * Whether any element of an array is null. Spark's own arrays (UnsafeArrayData: 8 bytes of
   * length, then one null bit per element in 64-bit words, then the values) are checked a word at a
   * time; others element by element.
   */
  public static boolean hasNullElement(org.apache.spark.sql.catalyst.util.ArrayData a) {
    int n = a.numElements();
    if (a instanceof org.apache.spark.sql.catalyst.expressions.UnsafeArrayData u) {
      Object base = u.getBaseObject();
      long offset = u.getBaseOffset() + 8;
      for (int w = 0; w < (n + 63) / 64; w++) {
        if (org.apache.spark.unsafe.Platform.getLong(base, offset + 8L * w) != 0) {
          return true;
        }
      }
      return false;
    }
    for (int j = 0; j < n; j++) {
      if (a.isNullAt(j)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Reads a float embedding's values into {@code into}: one copy of Spark's array memory when it is
   * an UnsafeArrayData (no allocation per row). Null elements read as 0 (Spark stores 0 in their
   * place), as {@link #readDoubles} reads them.
   */
  public static void readFloats(org.apache.spark.sql.catalyst.util.ArrayData a, float[] into) {
    int n = a.numElements();
    if (a instanceof org.apache.spark.sql.catalyst.expressions.UnsafeArrayData u) {
      long values = u.getBaseOffset() + 8 + 8L * ((n + 63) / 64);
      org.apache.spark.unsafe.Platform.copyMemory(u.getBaseObject(), values, into,
          org.apache.spark.unsafe.Platform.FLOAT_ARRAY_OFFSET, 4L * n);
      return;
    }
    for (int j = 0; j < n; j++) {
      into[j] = a.isNullAt(j) ? 0 : a.getFloat(j);
    }
  }

  /**
   * Reads an embedding's values into {@code into} as doubles ({@code floats}: the array holds
   * floats), straight from Spark's array memory when it is an UnsafeArrayData (no copy, no
   * allocation per row). Null elements read as 0 (validated input has none).
   */
  public static void readDoubles(org.apache.spark.sql.catalyst.util.ArrayData a, boolean floats, double[] into) {
    int n = a.numElements();
    if (a instanceof org.apache.spark.sql.catalyst.expressions.UnsafeArrayData u) {
      Object base = u.getBaseObject();
      long values = u.getBaseOffset() + 8 + 8L * ((n + 63) / 64);
      if (floats) {
        for (int j = 0; j < n; j++) {
          into[j] = org.apache.spark.unsafe.Platform.getFloat(base, values + 4L * j);
        }
      } else {
        for (int j = 0; j < n; j++) {
          into[j] = org.apache.spark.unsafe.Platform.getDouble(base, values + 8L * j);
        }
      }
      return;
    }
    for (int j = 0; j < n; j++) {
      into[j] = a.isNullAt(j) ? 0 : floats ? a.getFloat(j) : a.getDouble(j);
    }
  }
}
