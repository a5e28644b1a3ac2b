package io.isrank.score;

import io.isrank.align.AlignedRows;
import io.isrank.estimate.PointwiseExtremes;
import io.isrank.estimate.ScoreAccumulator;
import io.isrank.estimate.ScoreSummary;
import io.isrank.estimate.ScoringPlan;
import io.isrank.runtime.PartitionOrder;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import scala.Tuple2;

/**
 * The scoring pass: every fitted density is broadcast once; each task feeds its held-out rows, in
 * blocks of {@link ScoreAccumulator#BLOCK}, to a {@link ScoreAccumulator} (every density evaluated
 * on a whole block at once) and returns the partition's sums; the driver adds them in partition
 * order. One pass over the evaluation rows scores every direction; cost is linear in rows.
 */
public final class Scorer {
  private Scorer() {}

  /**
   * The pass's outcome: the summary, and the items each direction simulates worst and best
   * (null unless asked for).
   */
  public record Scored(ScoreSummary summary, PointwiseExtremes extremes) {}

  /**
   * @param evalRows canonical evaluation rows (h, id, z0 … z(M−1)), partitioned and sorted
   * @param topK items per direction to keep at each end of the pointwise sufficiency (0: none)
   */
  public static Scored score(SparkSession spark, Dataset<Row> evalRows, ScoringPlan plan, int topK) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Broadcast<ScoringPlan> shared = jsc.broadcast(plan);
    try {
      int models = plan.modelCount();
      int directions = plan.directionCount();
      boolean stringId = evalRows.schema().apply(1).dataType().equals(org.apache.spark.sql.types.DataTypes.StringType);
      // Internal rows: the vectors are read as primitive doubles, with no boxing.
      List<Tuple2<Integer, Tuple2<double[], PointwiseExtremes>>> parts = evalRows.queryExecution().toRdd()
          .toJavaRDD().mapPartitionsWithIndex((Integer index, Iterator<org.apache.spark.sql.catalyst.InternalRow> it) -> {
            ScoringPlan local = shared.value();
            ScoreAccumulator acc = new ScoreAccumulator(local);
            PointwiseExtremes extremes = topK > 0 ? new PointwiseExtremes(directions, topK) : null;
            int block = ScoreAccumulator.BLOCK;
            double[][] z = new double[models][];
            for (int m = 0; m < models; m++) {
              z[m] = new double[block * local.dim(m)];
            }
            long[] keys = new long[block];
            String[] ids = new String[block];
            int count = 0;
            while (it.hasNext() || count > 0) {
              if (it.hasNext()) {
                org.apache.spark.sql.catalyst.InternalRow r = it.next();
                for (int m = 0; m < models; m++) {
                  AlignedRows.copyVector(r, m, z[m], count * local.dim(m));
                }
                keys[count] = r.getLong(0);
                ids[count] = extremes == null ? null
                    : stringId ? r.getUTF8String(1).toString() : String.valueOf(r.getLong(1));
                count++;
                if (count < block && it.hasNext()) {
                  continue;
                }
              }
              acc.addBlock(z, keys, count);
              if (extremes != null) {
                for (int row = 0; row < count; row++) {
                  for (int d = 0; d < directions; d++) {
                    extremes.offer(d, ids[row], acc.pointwise(row, d));
                  }
                }
              }
              count = 0;
            }
            return List.of(new Tuple2<>(index, new Tuple2<>(acc.sums(), extremes))).iterator();
          }, true).collect();
      double[] total = new double[plan.stateSize()];
      PointwiseExtremes all = topK > 0 ? new PointwiseExtremes(directions, topK) : null;
      for (Tuple2<double[], PointwiseExtremes> p : PartitionOrder.ordered(parts)) {
        ScoreAccumulator.merge(total, p._1());
        if (all != null) {
          all.merge(p._2());
        }
      }
      return new Scored(new ScoreSummary(plan, total), all);
    } finally {
      shared.destroy();
    }
  }
}
