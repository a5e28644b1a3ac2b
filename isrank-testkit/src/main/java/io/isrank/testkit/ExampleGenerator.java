package io.isrank.testkit;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The bundled example: a zoo of models with a known informativeness order.
 *
 * <p>Every item has 12 independent standard-normal latent factors. Model j sees the first k_j of
 * them through a random linear map to d_j coordinates plus independent noise of standard deviation
 * σ_j; a pure-noise model sees none. The zoo is nested in both ways at once — a higher model sees
 * a superset of the factors, and sees them with less noise — so for every target V, I(U;V) grows
 * strictly from one source to the next, the median over targets does too, and the correct order is
 * the list order below, with {@code noise} last (its IS is 0 to every target).
 */
public final class ExampleGenerator {
  /** One example model: name, factors seen, dimension, noise standard deviation. */
  public record ModelSpec(String name, int factors, int dim, double noise) implements java.io.Serializable {}

  /** The bundled zoo, most informative first. */
  public static final List<ModelSpec> ZOO = List.of(
      new ModelSpec("alpha-12f", 12, 64, 0.3),
      new ModelSpec("beta-9f", 9, 48, 0.5),
      new ModelSpec("gamma-6f", 6, 48, 0.8),
      new ModelSpec("delta-3f", 3, 32, 1.2),
      new ModelSpec("noise", 0, 32, 1.0));

  public static final int LATENT_FACTORS = 12;

  private ExampleGenerator() {}

  public static StructType schema() {
    return DataTypes.createStructType(List.of(
        DataTypes.createStructField("id", DataTypes.LongType, false),
        DataTypes.createStructField("model", DataTypes.StringType, false),
        DataTypes.createStructField("embedding", DataTypes.createArrayType(DataTypes.FloatType, false), false)));
  }

  /** The zoo's rows in the long layout (id, model, embedding array&lt;float&gt;), deterministic in the seed. */
  public static List<Row> rows(List<ModelSpec> zoo, int items, long seed) {
    Random random = new Random(seed);
    double[][][] maps = new double[zoo.size()][][];
    for (int j = 0; j < zoo.size(); j++) {
      ModelSpec m = zoo.get(j);
      maps[j] = new double[m.dim()][m.factors()];
      for (int i = 0; i < m.dim(); i++) {
        for (int f = 0; f < m.factors(); f++) {
          maps[j][i][f] = random.nextGaussian() / Math.sqrt(Math.max(1, m.factors()));
        }
      }
    }
    List<Row> rows = new ArrayList<>();
    double[] z = new double[LATENT_FACTORS];
    for (long id = 0; id < items; id++) {
      for (int f = 0; f < z.length; f++) {
        z[f] = random.nextGaussian();
      }
      for (int j = 0; j < zoo.size(); j++) {
        ModelSpec m = zoo.get(j);
        float[] x = new float[m.dim()];
        for (int i = 0; i < m.dim(); i++) {
          double s = m.noise() * random.nextGaussian();
          for (int f = 0; f < m.factors(); f++) {
            s += maps[j][i][f] * z[f];
          }
          x[i] = (float) s;
        }
        Float[] boxed = new Float[x.length];
        for (int i = 0; i < x.length; i++) {
          boxed[i] = x[i];
        }
        rows.add(RowFactory.create(id, m.name(), java.util.Arrays.asList(boxed)));
      }
    }
    return rows;
  }

  public static Dataset<Row> dataset(SparkSession spark, List<ModelSpec> zoo, int items, long seed) {
    return spark.createDataFrame(rows(zoo, items, seed), schema());
  }

  /**
   * Writes the example as Hive-partitioned Parquet (model=&lt;name&gt;/), one file per model.
   * Usage: ExampleGenerator OUTPUT_DIR [ITEMS] [SEED]
   */
  public static void main(String[] args) throws IOException {
    if (args.length < 1) {
      System.err.println("usage: ExampleGenerator OUTPUT_DIR [ITEMS=3000] [SEED=7]");
      System.exit(2);
    }
    String out = args[0];
    int items = args.length > 1 ? Integer.parseInt(args[1]) : 3000;
    long seed = args.length > 2 ? Long.parseLong(args[2]) : 7;
    SparkSession spark = SparkSession.builder().appName("isrank example generator").master("local[1]")
        .config("spark.ui.enabled", "false").getOrCreate();
    try {
      dataset(spark, ZOO, items, seed).repartition(1).write().mode(SaveMode.Overwrite)
          .option("compression", "zstd").partitionBy("model").parquet(out);
    } finally {
      spark.stop();
    }
    // Keep the committed folder to the data: drop checksum and marker files.
    try (var files = Files.walk(new File(out).toPath())) {
      for (var p : files.toList()) {
        String name = p.getFileName().toString();
        if (name.endsWith(".crc") || name.equals("_SUCCESS")) {
          Files.delete(p);
        }
      }
    }
    System.out.println("wrote " + items + " items x " + ZOO.size() + " models to " + out);
  }
}
