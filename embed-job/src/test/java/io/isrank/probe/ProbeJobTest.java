package io.isrank.probe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.isrank.testkit.SparkTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** The probe on planted data: models whose embeddings carry the labels more or less clearly. */
class ProbeJobTest extends SparkTest {
  private static final int N = 400;
  private static final int CLASSES = 4;

  /** Class c puts its centre on coordinate c of d; noise of the given size on every coordinate. */
  private static float[] embedding(int label, double noise, int d, SplittableRandom r) {
    float[] x = new float[d];
    for (int j = 0; j < d; j++) {
      x[j] = (float) (noise * r.nextGaussian() + (j == label ? 1 : 0));
    }
    return x;
  }

  @Test
  void accuraciesFollowThePlantedSignalAndAgreeWithAConsistentRanking() throws IOException {
    StructType texts = new StructType().add("id", DataTypes.LongType).add("text", DataTypes.StringType)
        .add("label", DataTypes.StringType);
    StructType emb = new StructType().add("id", DataTypes.LongType)
        .add("embedding", DataTypes.createArrayType(DataTypes.FloatType));
    List<Row> labelled = new ArrayList<>();
    List<Row> sharp = new ArrayList<>();
    List<Row> blurry = new ArrayList<>();
    List<Row> noise = new ArrayList<>();
    SplittableRandom r = new SplittableRandom(11);
    for (long id = 0; id < N; id++) {
      int label = (int) (id % CLASSES);
      labelled.add(RowFactory.create(id, "text " + id, "class" + label));
      sharp.add(RowFactory.create(id, embedding(label, 0.15, 8, r)));
      blurry.add(RowFactory.create(id, embedding(label, 0.9, 8, r)));
      noise.add(RowFactory.create(id, embedding(-1, 1.0, 8, r)));
    }
    String textsDir = scratch.resolve("texts").toString();
    spark.createDataFrame(labelled, texts).write().parquet(textsDir);
    String embDir = scratch.resolve("emb").toString();
    spark.createDataFrame(sharp, emb).write().parquet(embDir + "/model=sharp");
    spark.createDataFrame(blurry, emb).write().parquet(embDir + "/model=blurry");
    spark.createDataFrame(noise, emb).write().parquet(embDir + "/model=noise");
    Path ranking = scratch.resolve("isrank");
    Files.createDirectories(ranking);
    Files.writeString(ranking.resolve("ranking.csv"),
        "rank,model,informativeness\n1,sharp,2.5\n2,blurry,0.8\n3,noise,-0.01\n");

    ProbeJob.Options o = new ProbeJob.Options(textsDir, embDir, ranking.toString(),
        scratch.resolve("probe").toString(), 4, 1e-3, 100, 5, 17, false);
    ProbeJob.Result result = ProbeJob.run(spark, o);

    assertEquals(List.of("sharp", "blurry", "noise"), result.models().stream().map(ProbeJob.ModelProbe::model).toList());
    ProbeJob.ModelProbe s = result.models().get(0);
    ProbeJob.ModelProbe b = result.models().get(1);
    ProbeJob.ModelProbe z = result.models().get(2);
    // noise 0.15 around unit-distance centres: classes are separated by > 9 SD
    assertTrue(s.probeAccuracy() > 0.98 && s.knnAccuracy() > 0.98, s.toString());
    // noise 0.9: overlapping classes, clearly better than chance and clearly worse than sharp
    assertTrue(b.probeAccuracy() > 0.4 && b.probeAccuracy() < s.probeAccuracy() - 0.1, b.toString());
    // no signal: chance is 0.25; with 400 items the binomial SD is 0.022, so 4 SD = 0.087
    assertTrue(Math.abs(z.probeAccuracy() - 0.25) < 0.087, z.toString());
    assertTrue(Math.abs(z.knnAccuracy() - 0.25) < 0.087, z.toString());
    assertEquals(0.25, result.chance(), 1e-12);
    assertEquals(CLASSES, result.classes());
    assertEquals(N, s.items());
    // the consistent ranking agrees perfectly
    assertEquals(1.0, result.probe().spearman(), 1e-12);
    assertEquals(1.0, result.probe().kendall(), 1e-12);
    assertArrayEquals(new int[] {1, 2, 3}, result.models().stream().mapToInt(ProbeJob.ModelProbe::probeRank).toArray());
    String table = Files.readString(scratch.resolve("probe").resolve("probe.csv"));
    assertTrue(table.startsWith("model,isrank_rank,informativeness,items,dimension,probe_accuracy"), table);
    assertTrue(Files.readString(scratch.resolve("probe").resolve("agreement.csv"))
        .contains("linear_probe_accuracy,1.000000,1.000000,3"));
  }

  @Test
  void foldsAreBalancedAndFixedById() {
    int[] counts = new int[5];
    for (long id = 0; id < 10_000; id++) {
      int f = ProbeJob.fold(id, 17, 5);
      assertEquals(f, ProbeJob.fold(id, 17, 5));
      counts[f]++;
    }
    // binomial(10000, 0.2): SD 40, so each fold within 160 of 2000 (4 SD)
    for (int c : counts) {
      assertTrue(Math.abs(c - 2000) < 160, java.util.Arrays.toString(counts));
    }
  }

  @Test
  void ranksShareTiesAndPutTheHighestFirst() {
    assertArrayEquals(new int[] {2, 1, 2, 4}, ProbeJob.ranks(new double[] {0.5, 0.9, 0.5, 0.1}));
  }
}
