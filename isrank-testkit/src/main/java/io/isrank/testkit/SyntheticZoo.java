package io.isrank.testkit;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;

/**
 * A zoo of any size generated in parallel by Spark, for benchmarks: the {@link ExampleGenerator}
 * construction (shared latent factors, random linear maps, noise) with each item's randomness
 * drawn from its id, so the data do not depend on partitioning.
 */
public final class SyntheticZoo {
  private SyntheticZoo() {}

  /**
   * @param models how many models; model j sees the first ⌈factors·(models−j)/models⌉ factors with
   *               noise growing in j, and the last one is pure noise
   */
  public static Dataset<Row> generate(SparkSession spark, int models, long items, int dim, int factors, long seed,
      int partitions) {
    List<ExampleGenerator.ModelSpec> zoo = new ArrayList<>();
    for (int j = 0; j < models; j++) {
      boolean noise = j == models - 1;
      int seen = noise ? 0 : (int) Math.ceil(factors * (double) (models - 1 - j) / (models - 1));
      zoo.add(new ExampleGenerator.ModelSpec(String.format("m%02d-%df", j, seen), Math.max(seen, 0), dim,
          0.3 + 0.15 * j));
    }
    SplittableRandom mapsRandom = new SplittableRandom(seed);
    double[][][] maps = new double[models][][];
    for (int j = 0; j < models; j++) {
      int k = zoo.get(j).factors();
      maps[j] = new double[dim][k];
      for (int i = 0; i < dim; i++) {
        for (int f = 0; f < k; f++) {
          maps[j][i][f] = mapsRandom.nextGaussian() / Math.sqrt(Math.max(1, k));
        }
      }
    }
    MapPartitionsFunction<Long, Row> rows = ids -> new Iterator<>() {
      private final List<Row> buffer = new ArrayList<>();
      private int next;

      @Override
      public boolean hasNext() {
        if (next < buffer.size()) {
          return true;
        }
        buffer.clear();
        next = 0;
        if (!ids.hasNext()) {
          return false;
        }
        long id = ids.next();
        SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + id);
        double[] z = new double[factors];
        for (int f = 0; f < factors; f++) {
          z[f] = r.nextGaussian();
        }
        for (int j = 0; j < zoo.size(); j++) {
          ExampleGenerator.ModelSpec m = zoo.get(j);
          float[] x = new float[m.dim()];
          for (int i = 0; i < m.dim(); i++) {
            double s = m.noise() * r.nextGaussian();
            for (int f = 0; f < m.factors(); f++) {
              s += maps[j][i][f] * z[f];
            }
            x[i] = (float) s;
          }
          buffer.add(RowFactory.create(id, m.name(), x));
        }
        return true;
      }

      @Override
      public Row next() {
        if (!hasNext()) {
          throw new java.util.NoSuchElementException();
        }
        return buffer.get(next++);
      }
    };
    return spark.range(0, items, 1, partitions).as(Encoders.LONG())
        .mapPartitions(rows, Encoders.row(ExampleGenerator.schema()));
  }
}
