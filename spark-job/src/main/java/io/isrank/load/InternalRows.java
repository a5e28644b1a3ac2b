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
   * The rows as a DataFrame of {@code schema}. Each row must hold Spark's internal values for its
   * schema (UTF8String for strings, ArrayData for arrays, boxed primitives otherwise).
   */
  public static Dataset<Row> dataFrame(SparkSession spark, JavaRDD<InternalRow> rows, StructType schema) {
    // Spark's own constructor for this (the classic session's internalCreateDataFrame) is
    // package-private in Scala and public in the bytecode: the one internal call isrank makes.
    return ((org.apache.spark.sql.classic.SparkSession) spark).internalCreateDataFrame(rows.rdd(), schema, false);
  }
}
