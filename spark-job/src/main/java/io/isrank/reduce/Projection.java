package io.isrank.reduce;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.udf;

import io.isrank.align.Split;
import io.isrank.fit.AlignedRows;
import io.isrank.load.EmbeddingSource;
import io.isrank.math.ModelReduction;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;

/**
 * Applies each model's whitening to its rows and aligns the models by id into one row per item:
 * (h, id, z0 … z(M−1)), z_m the model's whitened p-vector. Only the reduced vectors travel through
 * the shuffle, not the raw embeddings, and rows beyond the evaluation cap are dropped before it.
 */
public final class Projection {
  private Projection() {}

  public static Dataset<Row> alignedWhitened(SparkSession spark, Dataset<Row> valid, List<ModelReduction> reductions,
      List<String> models, long seed, Split split) {
    return alignedWhitened(spark, valid, reductions, models, seed, col(Split.KEY).leq(split.evalMaxKey()));
  }

  /**
   * As above for the rows whose split key satisfies {@code keep} (a predicate on column {@link
   * Split#KEY}), applied before the shuffle.
   */
  public static Dataset<Row> alignedWhitened(SparkSession spark, Dataset<Row> valid, List<ModelReduction> reductions,
      List<String> models, long seed, Column keep) {
    Broadcast<ModelReduction[]> shared = JavaSparkContext.fromSparkContext(spark.sparkContext())
        .broadcast(reductions.toArray(new ModelReduction[0]));
    UserDefinedFunction whiten = udf((UDF2<Integer, Vector, double[]>) (model, x) -> shared.value()[model]
        .apply(x.toArray()), DataTypes.createArrayType(DataTypes.DoubleType, false));
    List<Column> kv = new ArrayList<>();
    for (int m = 0; m < models.size(); m++) {
      kv.add(org.apache.spark.sql.functions.lit(models.get(m)));
      kv.add(org.apache.spark.sql.functions.lit(m));
    }
    Column modelIndex = org.apache.spark.sql.functions.element_at(
        org.apache.spark.sql.functions.map(kv.toArray(new Column[0])), col(EmbeddingSource.MODEL));
    Column key = Split.key(seed);
    Dataset<Row> projected = valid
        .withColumn(Split.KEY, key)
        .filter(keep)
        .withColumn("m", modelIndex)
        .select(col(EmbeddingSource.ID), col(Split.KEY), col("m"),
            whiten.apply(col("m"), org.apache.spark.ml.functions.array_to_vector(col(EmbeddingSource.EMBEDDING)))
                .as("z"));
    List<Column> out = new ArrayList<>();
    out.add(col(Split.KEY));
    out.add(col(EmbeddingSource.ID));
    for (int m = 0; m < models.size(); m++) {
      out.add(expr("try_element_at(filter(zs, s -> s.m = " + m + "), 1).z").as(AlignedRows.column(m)));
    }
    return projected.groupBy(col(EmbeddingSource.ID), col(Split.KEY))
        .agg(collect_list(struct(col("m"), col("z"))).as("zs"))
        .filter(expr("size(array_distinct(transform(zs, s -> s.m))) = " + models.size()))
        .select(out.toArray(new Column[0]));
  }

  /**
   * The canonical layout of a set of aligned rows: hash-partitioned by split key into a number of
   * partitions that depends on the data and configuration only, sorted by key within. Every
   * partition then holds the same rows in the same order on any cluster, so per-partition sums
   * are reproducible to the last bit.
   */
  public static Dataset<Row> canonical(Dataset<Row> rows, int partitions) {
    return rows.repartition(partitions, col(Split.KEY)).sortWithinPartitions(col(Split.KEY), col(EmbeddingSource.ID));
  }
}
