package io.isrank.fit;

import io.isrank.estimate.JointDensity;
import io.isrank.estimate.PairSelection;
import io.isrank.job.RunConfig.MixtureConfig;
import io.isrank.math.GaussianMixtureEm;
import io.isrank.math.Mixture;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The task engine for mixtures: every density to fit (a target's marginal, a pair's joint) is one
 * Spark task. The fit sample — small next to the corpus: n_fit rows of M reduced vectors — is
 * collected once in its canonical order and broadcast; each task runs the whole EM
 * ({@link GaussianMixtureEm}: k-means++ starts, restarts, floored covariances) in memory on its
 * density's columns. One Spark job fits everything, instead of MLlib's one job per EM iteration
 * per density, and since each fit sees the same rows in the same order on any cluster, results are
 * identical to the last bit for a given seed.
 */
public final class TaskMixtureFitter {
  private TaskMixtureFitter() {}

  /** One density to fit: a model's marginal (second &lt; 0) or the joint of (first, second). */
  record Spec(int index, int first, int second, int k, long seed) implements Serializable {}

  /** What a task returns. */
  record Result(int index, Mixture mixture, int iterations, double logLikelihood, boolean converged, double seconds)
      implements Serializable {}

  public static FittedDensities fit(SparkSession spark, Dataset<Row> fitRows, List<String> models, int[] dims,
      PairSelection selection, MixtureConfig cfg, double floor, long seed) {
    int m = dims.length;
    List<Row> rows = fitRows.collectAsList();
    double[][][] data = new double[m][rows.size()][];
    for (int i = 0; i < rows.size(); i++) {
      for (int j = 0; j < m; j++) {
        data[j][i] = AlignedRows.vector(rows.get(i), j);
      }
    }
    List<Spec> specs = new ArrayList<>();
    for (int j = 0; j < m; j++) {
      if (selection.targets()[j]) {
        specs.add(new Spec(specs.size(), j, -1, cfg.kMarginal(), seed + 7919L * (j + 1)));
      }
    }
    for (int[] p : selection.pairs()) {
      specs.add(new Spec(specs.size(), p[0], p[1], cfg.kJoint(), seed + 104_729L * (p[0] + 1) + 31L * (p[1] + 1)));
    }
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Broadcast<double[][][]> shared = jsc.broadcast(data);
    int maxIterations = cfg.maxIterations();
    double tolerance = cfg.tolerance();
    int restarts = cfg.restarts();
    boolean choose = cfg.chooseComponents();
    List<Result> results;
    try {
      results = new ArrayList<>(jsc.parallelize(specs, Math.max(1, specs.size())).map(spec -> {
        long start = System.nanoTime();
        double[][][] all = shared.value();
        double[][] x = spec.second() < 0 ? all[spec.first()] : concatenate(all[spec.first()], all[spec.second()]);
        GaussianMixtureEm.Settings settings =
            new GaussianMixtureEm.Settings(spec.k(), maxIterations, tolerance, restarts, floor, spec.seed());
        GaussianMixtureEm.Fit f = choose ? GaussianMixtureEm.fitChoosingComponents(x, settings)
            : GaussianMixtureEm.fit(x, settings);
        return new Result(spec.index(), f.mixture(), f.iterations(), f.logLikelihood(), f.converged(),
            (System.nanoTime() - start) / 1e9);
      }).collect());
    } finally {
      shared.destroy();
    }
    results.sort((a, b) -> Integer.compare(a.index(), b.index()));
    Mixture[] marginals = new Mixture[m];
    FitDiagnostics[] marginalDiagnostics = new FitDiagnostics[m];
    List<JointDensity> joints = new ArrayList<>();
    List<FitDiagnostics> jointDiagnostics = new ArrayList<>();
    for (Result r : results) {
      Spec s = specs.get(r.index());
      String name = s.second() < 0 ? "marginal " + models.get(s.first())
          : "joint " + models.get(s.first()) + " × " + models.get(s.second());
      FitDiagnostics d = new FitDiagnostics(name, r.mixture().size(), r.iterations(), r.logLikelihood(), r.converged(),
          r.seconds());
      if (s.second() < 0) {
        marginals[s.first()] = r.mixture();
        marginalDiagnostics[s.first()] = d;
      } else {
        joints.add(JointDensity.of(s.first(), s.second(), r.mixture(), dims[s.first()]));
        jointDiagnostics.add(d);
      }
    }
    return new FittedDensities(marginals, joints, marginalDiagnostics, jointDiagnostics);
  }

  private static double[][] concatenate(double[][] a, double[][] b) {
    double[][] x = new double[a.length][];
    for (int i = 0; i < a.length; i++) {
      double[] row = new double[a[i].length + b[i].length];
      System.arraycopy(a[i], 0, row, 0, a[i].length);
      System.arraycopy(b[i], 0, row, a[i].length, b[i].length);
      x[i] = row;
    }
    return x;
  }
}
