package io.isrank.job;

import io.isrank.testkit.SparkTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** The tests' local Spark ({@link SparkTest}) with the job's input helpers. */
public abstract class SparkTestBase extends SparkTest {
  /** Long-layout schema: id long, model string, embedding array<double> (nullable everything). */
  protected static StructType longSchema() {
    return DataTypes.createStructType(List.of(
        DataTypes.createStructField("id", DataTypes.LongType, true),
        DataTypes.createStructField("model", DataTypes.StringType, true),
        DataTypes.createStructField("embedding", DataTypes.createArrayType(DataTypes.DoubleType, true), true)));
  }

  protected static Row row(Long id, String model, Double... values) {
    return RowFactory.create(id, model, values == null ? null : java.util.Arrays.asList(values));
  }

  /** Writes rows as long-layout Parquet in {@code partitions} files; returns the folder. */
  protected String write(String name, List<Row> rows, int partitions) {
    String dir = scratch.resolve(name).toString();
    spark.createDataFrame(rows, longSchema()).repartition(partitions).write().mode(SaveMode.Overwrite).parquet(dir);
    return dir;
  }

  /**
   * Rows of models drawn jointly Gaussian with the given covariance; model j takes the coordinates
   * [offsets[j], offsets[j+1]) of each draw.
   */
  protected static List<Row> gaussianModels(String[] names, int[] offsets, double[][] cov, int items, long seed) {
    double[][] l = io.isrank.testkit.Synthetic.cholesky(cov);
    Random random = new Random(seed);
    int d = cov.length;
    List<Row> rows = new ArrayList<>();
    for (long id = 0; id < items; id++) {
      double[] e = new double[d];
      for (int i = 0; i < d; i++) {
        e[i] = random.nextGaussian();
      }
      double[] x = new double[d];
      for (int i = 0; i < d; i++) {
        for (int k = 0; k <= i; k++) {
          x[i] += l[i][k] * e[k];
        }
      }
      for (int j = 0; j < names.length; j++) {
        Double[] v = new Double[offsets[j + 1] - offsets[j]];
        for (int i = 0; i < v.length; i++) {
          v[i] = x[offsets[j] + i];
        }
        rows.add(row(id, names[j], v));
      }
    }
    return rows;
  }

  /** Parses options as the command line would (defaults, then these). */
  protected static RunConfig config(String... args) {
    return ((Cli.Run) Cli.parse(args)).config();
  }
}
