package io.isrank.fit;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;

import io.isrank.align.AlignedRows;
import io.isrank.error.EstimationException;
import io.isrank.estimate.JointDensity;
import io.isrank.estimate.PairSelection;
import io.isrank.fit.MixtureConfig;
import io.isrank.math.Gaussian;
import io.isrank.math.Mixture;
import io.isrank.runtime.Progress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.spark.ml.clustering.GaussianMixture;
import org.apache.spark.ml.clustering.GaussianMixtureModel;
import org.apache.spark.ml.linalg.Matrix;
import org.apache.spark.ml.stat.distribution.MultivariateGaussian;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The mllib engine of the mixture estimator: MLlib {@link GaussianMixture} fits, one per target model's marginal and
 * one per needed pair's joint on [z_U; z_V], submitted concurrently from a bounded pool so the
 * cluster stays busy (each fit is a sequence of small Spark jobs, one per EM iteration). Each fit
 * runs in its own FAIR scheduler pool and names its jobs, so the Spark UI reads like the pipeline.
 * MLlib's result is converted to {@link Mixture} right after the fit, with the covariance floor.
 */
final class MixtureFitter {
  private MixtureFitter() {}

  public static FittedDensities fit(SparkSession spark, Dataset<Row> fitRows, List<String> models, int[] dims,
      PairSelection selection, MixtureConfig cfg, double floor, long seed) {
    record Task(String name, int model, int[] pair, int k, Column features, long seed) {}
    List<Task> tasks = new ArrayList<>();
    for (int m = 0; m < models.size(); m++) {
      if (selection.targets()[m]) {
        tasks.add(new Task("marginal " + models.get(m), m, null, cfg.kMarginal(),
            org.apache.spark.ml.functions.array_to_vector(col(AlignedRows.column(m))), FitSeeds.marginal(seed, m)));
      }
    }
    for (int[] p : selection.pairs()) {
      tasks.add(new Task("joint " + models.get(p[0]) + " × " + models.get(p[1]), -1, p, cfg.kJoint(),
          org.apache.spark.ml.functions.array_to_vector(concat(col(AlignedRows.column(p[0])),
              col(AlignedRows.column(p[1])))),
          FitSeeds.joint(seed, p[0], p[1])));
    }
    Progress progress = new Progress("fit", tasks.size());
    long rows = fitRows.count();
    ExecutorService pool = Executors.newFixedThreadPool(cfg.parallelism());
    try {
      List<Future<Object[]>> futures = new ArrayList<>();
      for (Task t : tasks) {
        if (futures.size() == 1) {
          // The first fit runs alone: the one-time initialisation of MLlib, its BLAS and Spark's
          // ML helpers then happens in one thread. Concurrent first use hung a CI run with
          // every fit thread waiting and no Spark job running.
          futures.get(0).get();
        }
        futures.add(pool.submit(() -> {
          var sc = spark.sparkContext();
          sc.setLocalProperty("spark.scheduler.pool", "isrank-fit-" + Math.abs(t.name().hashCode() % cfg.parallelism()));
          sc.setJobGroup("isrank-fit", "isrank fit: " + t.name() + " (k=" + t.k() + ")", false);
          long start = System.nanoTime();
          GaussianMixtureModel model = new GaussianMixture()
              .setK(t.k()).setMaxIter(cfg.maxIterations()).setSeed(t.seed())
              // MLlib's tolerance is on the total log-likelihood; ours is per row.
              .setTol(cfg.tolerance() * rows)
              .fit(fitRows.select(t.features().as("features")));
          double seconds = (System.nanoTime() - start) / 1e9;
          Mixture mixture = toMixture(model, floor, t.name());
          int iterations = model.summary().numIter();
          FitDiagnostics d = new FitDiagnostics(t.name(), mixture.size(), iterations, model.summary().logLikelihood(),
              iterations < cfg.maxIterations(), seconds, iterations, Double.NaN, Double.NaN);
          progress.step(t.name() + ": " + iterations + " EM iterations, log-likelihood "
              + String.format(java.util.Locale.ROOT, "%.1f", d.logLikelihood()) + ", "
              + Progress.seconds(seconds));
          sc.clearJobGroup();
          return new Object[] {mixture, d};
        }));
      }
      Mixture[] marginals = new Mixture[models.size()];
      FitDiagnostics[] marginalDiagnostics = new FitDiagnostics[models.size()];
      List<JointDensity> joints = new ArrayList<>();
      List<FitDiagnostics> jointDiagnostics = new ArrayList<>();
      for (int i = 0; i < tasks.size(); i++) {
        Task t = tasks.get(i);
        Object[] result = futures.get(i).get();
        Mixture mixture = (Mixture) result[0];
        FitDiagnostics d = (FitDiagnostics) result[1];
        if (t.pair() == null) {
          marginals[t.model()] = mixture;
          marginalDiagnostics[t.model()] = d;
        } else {
          joints.add(JointDensity.of(t.pair()[0], t.pair()[1], mixture, dims[t.pair()[0]]));
          jointDiagnostics.add(d);
        }
      }
      return new FittedDensities(marginals, joints, marginalDiagnostics, jointDiagnostics);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EstimationException("interrupted while fitting mixtures");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      throw new EstimationException("a mixture fit failed: " + cause);
    } finally {
      pool.shutdownNow();
    }
  }

  /** MLlib's weights and Gaussians as a {@link Mixture}, with the floor on every covariance. */
  static Mixture toMixture(GaussianMixtureModel model, double floor, String name) {
    MultivariateGaussian[] gaussians = model.gaussians();
    double[] weights = model.weights();
    List<Double> keptWeights = new ArrayList<>();
    List<Gaussian> kept = new ArrayList<>();
    for (int k = 0; k < gaussians.length; k++) {
      if (!(weights[k] > 0)) {
        continue; // an emptied component carries no mass
      }
      Matrix c = gaussians[k].cov();
      double[][] cov = new double[c.numRows()][c.numCols()];
      for (int i = 0; i < cov.length; i++) {
        for (int j = 0; j < cov.length; j++) {
          cov[i][j] = c.apply(i, j);
        }
      }
      try {
        kept.add(Gaussian.of(gaussians[k].mean().toArray(), cov, floor));
      } catch (IllegalArgumentException e) {
        throw new EstimationException("the " + name + " mixture fit produced an invalid component " + k + ": "
            + e.getMessage() + "; try fewer components (mixture.k-*) or estimator.type = gaussian");
      }
      keptWeights.add(weights[k]);
    }
    if (kept.isEmpty()) {
      throw new EstimationException("the " + name + " mixture fit produced no component with positive weight");
    }
    return Mixture.of(keptWeights.stream().mapToDouble(Double::doubleValue).toArray(), kept.toArray(new Gaussian[0]));
  }
}
