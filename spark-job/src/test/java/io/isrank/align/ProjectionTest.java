package io.isrank.align;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.spark_partition_id;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.isrank.job.SparkTestBase;
import io.isrank.load.EmbeddingSource;
import io.isrank.math.ModelReduction;
import io.isrank.math.Whitening;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/** The alignment pass: every item where its layout says, sorted, with every model's whitened vector. */
class ProjectionTest extends SparkTestBase {

  @Test
  void alignsEveryItemThatAllModelsHaveIntoItsLayoutPartitionSortedByKey() {
    // Three models of dimensions 3, 2, 4 over ids 0..199; model b lacks ids divisible by 7 and
    // lists id 5 twice (identical copies, as validation leaves duplicates).
    int[] dims = {3, 2, 4};
    String[] names = {"a", "b", "c"};
    Random random = new Random(3);
    Map<String, Map<Long, Double[]>> data = new TreeMap<>();
    List<Row> rows = new ArrayList<>();
    for (int m = 0; m < 3; m++) {
      Map<Long, Double[]> byId = new TreeMap<>();
      for (long id = 0; id < 200; id++) {
        if (m == 1 && id % 7 == 0) {
          continue;
        }
        Double[] x = new Double[dims[m]];
        for (int j = 0; j < x.length; j++) {
          x[j] = random.nextGaussian();
        }
        byId.put(id, x);
        rows.add(row(id, names[m], x));
        if (m == 1 && id == 5) {
          rows.add(row(id, names[m], x));
        }
      }
      data.put(names[m], byId);
    }
    Dataset<Row> valid = spark.createDataFrame(rows, longSchema()).repartition(3);
    List<ModelReduction> reductions = new ArrayList<>();
    for (int m = 0; m < 3; m++) {
      double[][] cov = new double[dims[m]][dims[m]];
      for (int i = 0; i < dims[m]; i++) {
        cov[i][i] = 1 + i;
      }
      reductions.add(new ModelReduction(null, Whitening.fit(new double[dims[m]], cov, dims[m], 1e-12)));
    }
    Projection.Layout layout = new TenthLeftOut();
    long seed = 11;
    Projection.Aligned aligned = Projection.aligned(spark, valid, reductions, List.of(names), seed, layout);
    Dataset<Row> all = Projection.partitions(spark, aligned, 0, 5).withColumn("p", spark_partition_id());
    assertEquals(5, all.rdd().getNumPartitions());
    Map<Long, Long> keys = new TreeMap<>();
    for (Row r : valid.select(col("id"), EmbeddingSource.itemKey(seed)).distinct().collectAsList()) {
      keys.put(r.getLong(0), r.getLong(1));
    }
    List<Row> out = all.collectAsList();
    int expected = 0;
    for (long id = 0; id < 200; id++) {
      if (id % 7 != 0 && layout.partitionOf(keys.get(id)) >= 0) {
        expected++;
      }
    }
    assertEquals(expected, out.size(), "one row per item every model has, minus those the layout leaves out");
    long previousKey = Long.MIN_VALUE;
    int previousPartition = -1;
    for (Row r : out) {
      long h = r.getLong(0);
      long id = r.getLong(1);
      int p = r.getInt(5);
      assertEquals(keys.get(id), h, "split key of id " + id);
      assertEquals(layout.partitionOf(h), p, "partition of id " + id);
      assertTrue(p > previousPartition || h > previousKey, "sorted by key within partition " + p);
      previousPartition = p;
      previousKey = h;
      for (int m = 0; m < 3; m++) {
        Double[] x = data.get(names[m]).get(id);
        double[] raw = new double[x.length];
        for (int j = 0; j < x.length; j++) {
          raw[j] = x[j];
        }
        List<Double> z = r.getList(2 + m);
        double[] got = z.stream().mapToDouble(Double::doubleValue).toArray();
        assertArrayEquals(reductions.get(m).apply(raw), got, 0.0, "model " + names[m] + ", id " + id);
      }
    }
  }

  /** Five partitions by key hash; keys ending in 9 (mod 10) left out. */
  private static final class TenthLeftOut implements Projection.Layout {
    @Override
    public int partitions() {
      return 5;
    }

    @Override
    public int partitionOf(long h) {
      return Math.floorMod(h, 10) == 9 ? -1 : Projection.hashPartition(h, 5);
    }
  }
}
