package io.isrank.fit;

import io.isrank.align.AlignedRows;
import io.isrank.estimate.JointDensity;
import io.isrank.estimate.PairSelection;
import io.isrank.fit.MixtureConfig;
import io.isrank.math.GaussianMixtureEm;
import io.isrank.math.Mixture;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The task engine for mixtures: every density to fit (a target's marginal, a pair's joint) is one
 * Spark task. The fit sample — small next to the corpus: n_fit rows of M reduced vectors — is
 * gathered once in its canonical order as one flat array per model (each partition sends its rows
 * as a single double[]) and broadcast; each task assembles its density's rows (a joint's are its
 * two models' rows side by side) and runs the whole EM ({@link GaussianMixtureEm}: k-means++ and
 * k-means starts, short-run restarts, floored covariances, batched E- and M-steps, k chosen by
 * held-out likelihood) in memory. One Spark job fits everything, instead of MLlib's one job per EM
 * iteration per density, and since each fit sees the same rows in the same order on any cluster,
 * results are identical to the last bit for a given seed. Joints (the larger fits) are submitted
 * first so that no core waits on one long task at the end.
 */
final class TaskMixtureFitter {
  private static final Logger LOG = LoggerFactory.getLogger("io.isrank");

  private TaskMixtureFitter() {}

  /** One density to fit: a model's marginal (second &lt; 0) or the joint of (first, second). */
  record Spec(int index, int first, int second, int k, long seed) implements Serializable {}

  /** What a task returns. */
  record Result(int index, Mixture mixture, int iterations, double logLikelihood, boolean converged, int work,
      double seconds) implements Serializable {}

  public static FittedDensities fit(SparkSession spark, Dataset<Row> fitRows, List<String> models, int[] dims,
      PairSelection selection, MixtureConfig cfg, double floor, long seed) {
    int m = dims.length;
    long gatherStart = System.nanoTime();
    double[][] data = gather(fitRows, dims);
    LOG.info("gathered the fit sample for the fit tasks in {}", io.isrank.runtime.Progress.seconds(
        (System.nanoTime() - gatherStart) / 1e9));
    int n = data[0].length / dims[0];
    List<Spec> specs = new ArrayList<>();
    for (int[] p : selection.pairs()) {
      specs.add(new Spec(specs.size(), p[0], p[1], cfg.kJoint(), FitSeeds.joint(seed, p[0], p[1])));
    }
    for (int j = 0; j < m; j++) {
      if (selection.targets()[j]) {
        specs.add(new Spec(specs.size(), j, -1, cfg.kMarginal(), FitSeeds.marginal(seed, j)));
      }
    }
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Broadcast<double[][]> shared = jsc.broadcast(data);
    int maxIterations = cfg.maxIterations();
    double tolerance = cfg.tolerance();
    int restarts = cfg.restarts();
    boolean choose = cfg.chooseComponents();
    int[] sizes = dims.clone();
    List<Result> results;
    long started = System.nanoTime();
    try {
      results = new ArrayList<>(jsc.parallelize(specs, Math.max(1, specs.size())).map(spec -> {
        long start = System.nanoTime();
        double[][] all = shared.value();
        int d = spec.second() < 0 ? sizes[spec.first()] : sizes[spec.first()] + sizes[spec.second()];
        double[] x = spec.second() < 0 ? all[spec.first()]
            : sideBySide(all[spec.first()], sizes[spec.first()], all[spec.second()], sizes[spec.second()]);
        GaussianMixtureEm.Settings settings =
            new GaussianMixtureEm.Settings(spec.k(), maxIterations, tolerance, restarts, floor, spec.seed());
        GaussianMixtureEm.Fit f = choose ? GaussianMixtureEm.fitChoosingComponents(x, d, settings)
            : GaussianMixtureEm.fit(x, d, settings);
        return new Result(spec.index(), f.mixture(), f.iterations(), f.logLikelihood(), f.converged(), f.work(),
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
    long work = 0;
    int[] chosen = new int[Math.max(cfg.kJoint(), cfg.kMarginal()) + 1];
    for (Result r : results) {
      Spec s = specs.get(r.index());
      String name = s.second() < 0 ? "marginal " + models.get(s.first())
          : "joint " + models.get(s.first()) + " × " + models.get(s.second());
      FitDiagnostics d = new FitDiagnostics(name, r.mixture().size(), r.iterations(), r.logLikelihood(),
          r.converged(), r.seconds(), r.work(), Double.NaN, Double.NaN);
      work += r.work();
      chosen[r.mixture().size()]++;
      if (s.second() < 0) {
        marginals[s.first()] = r.mixture();
        marginalDiagnostics[s.first()] = d;
      } else {
        joints.add(JointDensity.of(s.first(), s.second(), r.mixture(), dims[s.first()]));
        jointDiagnostics.add(d);
      }
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    StringBuilder sizesChosen = new StringBuilder();
    for (int k = 1; k < chosen.length; k++) {
      if (chosen[k] > 0) {
        sizesChosen.append(sizesChosen.length() == 0 ? "" : ", ").append(chosen[k]).append(" with k=").append(k);
      }
    }
    LOG.info("fitted {} mixtures on {} rows as Spark tasks in {}: {} EM iterations in all ({} per fit), {}; "
        + "{} fits/s", results.size(), n, io.isrank.runtime.Progress.seconds(seconds), work,
        String.format(java.util.Locale.ROOT, "%.1f", work / (double) Math.max(1, results.size())), sizesChosen,
        String.format(java.util.Locale.ROOT, "%.1f", results.size() / Math.max(seconds, 1e-9)));
    return new FittedDensities(marginals, joints, marginalDiagnostics, jointDiagnostics);
  }

  /**
   * The fit rows as one row-major array per model (n × p_m), in the rows' canonical order. Each
   * partition packs its rows into one double[] per model on the executor, so the driver receives
   * a few large arrays instead of n·M boxed lists.
   */
  static double[][] gather(Dataset<Row> fitRows, int[] dims) {
    int m = dims.length;
    // Spark's internal rows hold each vector as one unboxed array: read them as such instead of
    // converting every row to an external Row of boxed Doubles.
    List<double[][]> parts = fitRows.queryExecution().toRdd().toJavaRDD().mapPartitions((Iterator<InternalRow> it) -> {
      List<double[][]> rows = new ArrayList<>();
      while (it.hasNext()) {
        InternalRow r = it.next();
        double[][] z = new double[m][];
        for (int j = 0; j < m; j++) {
          z[j] = r.getArray(AlignedRows.FIRST_VECTOR + j).toDoubleArray();
        }
        rows.add(z);
      }
      double[][] packed = new double[m][];
      for (int j = 0; j < m; j++) {
        packed[j] = new double[rows.size() * dims[j]];
        for (int i = 0; i < rows.size(); i++) {
          System.arraycopy(rows.get(i)[j], 0, packed[j], i * dims[j], dims[j]);
        }
      }
      return java.util.Collections.singletonList(packed).iterator();
    }).collect();
    double[][] data = new double[m][];
    for (int j = 0; j < m; j++) {
      int length = 0;
      for (double[][] part : parts) {
        length += part[j].length;
      }
      data[j] = new double[length];
      int at = 0;
      for (double[][] part : parts) {
        System.arraycopy(part[j], 0, data[j], at, part[j].length);
        at += part[j].length;
      }
    }
    return data;
  }

  /** Rows [a_i; b_i] from two row-major arrays of the same row count. */
  static double[] sideBySide(double[] a, int da, double[] b, int db) {
    int n = a.length / da;
    int d = da + db;
    double[] x = new double[n * d];
    for (int i = 0; i < n; i++) {
      System.arraycopy(a, i * da, x, i * d, da);
      System.arraycopy(b, i * db, x, i * d + da, db);
    }
    return x;
  }
}
