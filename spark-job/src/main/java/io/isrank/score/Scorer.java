package io.isrank.score;

import io.isrank.estimate.ScoreAccumulator;
import io.isrank.estimate.ScoreSummary;
import io.isrank.estimate.ScoringPlan;
import io.isrank.fit.AlignedRows;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import scala.Tuple2;

/**
 * The scoring pass: every fitted density is broadcast once; each task feeds its held-out rows to a
 * {@link ScoreAccumulator} and returns the partition's sums; the driver adds them in partition
 * order. One pass over the evaluation rows scores every direction; cost is linear in rows.
 */
public final class Scorer {
  private Scorer() {}

  /**
   * @param evalRows canonical evaluation rows (h, id, z0 … z(M−1)), partitioned and sorted
   */
  public static ScoreSummary score(SparkSession spark, Dataset<Row> evalRows, ScoringPlan plan) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Broadcast<ScoringPlan> shared = jsc.broadcast(plan);
    try {
      int models = plan.modelCount();
      List<Tuple2<Integer, double[]>> parts = evalRows.javaRDD().mapPartitionsWithIndex(
          (Integer index, Iterator<Row> it) -> {
            ScoreAccumulator acc = new ScoreAccumulator(shared.value());
            while (it.hasNext()) {
              Row r = it.next();
              acc.add(AlignedRows.vectors(r, models), r.getLong(0));
            }
            return List.of(new Tuple2<>(index, acc.sums())).iterator();
          }, true).collect();
      List<Tuple2<Integer, double[]>> ordered = new ArrayList<>(parts);
      ordered.sort((a, b) -> Integer.compare(a._1(), b._1()));
      double[] total = new double[plan.stateSize()];
      for (Tuple2<Integer, double[]> p : ordered) {
        ScoreAccumulator.merge(total, p._2());
      }
      return new ScoreSummary(plan, total);
    } finally {
      shared.destroy();
    }
  }
}
