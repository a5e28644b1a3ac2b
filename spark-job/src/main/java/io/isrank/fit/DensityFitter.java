package io.isrank.fit;

import io.isrank.align.AlignedRows;
import io.isrank.estimate.PairSelection;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The fit stage: every density the selection needs (each target's marginal, each pair's joint)
 * from the aligned, whitened fit rows. Three implementations: one Gaussian per density from one
 * pass ({@link GaussianFitter}), mixtures each in one Spark task ({@link TaskMixtureFitter}), or
 * with MLlib ({@link MixtureFitter}).
 */
@FunctionalInterface
public interface DensityFitter {
  /**
   * @param fitRows   the aligned fit rows (the AlignedRows format)
   * @param models    model names, in column order
   * @param dims      each model's reduced dimension
   * @param selection the pairs and targets to fit
   */
  FittedDensities fit(Dataset<Row> fitRows, List<String> models, int[] dims, PairSelection selection);

  /** The fitter the run's estimator.type and mixture.engine name. */
  static DensityFitter of(SparkSession spark, EstimatorConfig estimator, MixtureConfig mixture, long seed) {
    double floor = estimator.floor();
    if (estimator.type() == EstimatorType.GAUSSIAN) {
      return (rows, models, dims, selection) -> GaussianFitter.fit(rows, models, dims, selection, floor);
    }
    if (mixture.engine() == MixtureEngine.TASK) {
      return (rows, models, dims, selection) -> TaskMixtureFitter.fit(spark, rows, models, dims, selection,
          mixture, floor, seed);
    }
    return (rows, models, dims, selection) -> MixtureFitter.fit(spark, rows, models, dims, selection, mixture,
        floor, seed);
  }
}
