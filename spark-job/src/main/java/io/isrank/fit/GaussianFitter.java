package io.isrank.fit;

import io.isrank.align.AlignedRows;
import io.isrank.estimate.JointDensity;
import io.isrank.estimate.PairSelection;
import io.isrank.math.CovarianceSums;
import io.isrank.math.Gaussian;
import io.isrank.math.Mixture;
import io.isrank.runtime.PartitionOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import scala.Tuple2;

/**
 * The single-Gaussian estimator (k = 1): one distributed pass over the fit rows computes the mean
 * and covariance of the concatenation [z_1; …; z_M] of every model's whitened vector; each model's
 * marginal and each pair's joint are read off its blocks, with the covariance floor on the
 * diagonal. M(M−1)/2 joint fits for the price of one pass.
 */
public final class GaussianFitter {
  /**
   * Rows per block of the covariance pass: a multiple of 4, so the four-row groups — and the sums —
   * are the same for any block size; larger blocks stream the packed triangle (71 MB at 4,224
   * dimensions) through memory fewer times.
   */
  private static final int BLOCK_ROWS = 256;

  private GaussianFitter() {}

  /**
   * @param fitRows canonical fit rows (h, id, z0 … z(M−1)), partitioned and sorted
   * @param dims    reduced dimension per model
   */
  public static FittedDensities fit(Dataset<Row> fitRows, List<String> names, int[] dims, PairSelection selection,
      double floor) {
    int models = dims.length;
    int[] offsets = new int[models + 1];
    for (int m = 0; m < models; m++) {
      offsets[m + 1] = offsets[m] + dims[m];
    }
    CovarianceSums all = covariance(fitRows, dims);
    double[] mean = all.mean();
    double[][] cov = all.covariance();
    long n = all.count();

    Mixture[] marginals = new Mixture[models];
    FitDiagnostics[] marginalDiagnostics = new FitDiagnostics[models];
    for (int m = 0; m < models; m++) {
      if (selection.targets()[m]) {
        long fitStart = System.nanoTime();
        Gaussian g = Gaussian.of(block(mean, offsets[m], offsets[m + 1]),
            block(cov, offsets[m], offsets[m + 1], offsets[m], offsets[m + 1]), floor);
        marginals[m] = Mixture.single(g);
        marginalDiagnostics[m] = diagnostics("marginal " + names.get(m), g, n, (System.nanoTime() - fitStart) / 1e9);
      }
    }
    List<JointDensity> joints = new ArrayList<>();
    List<FitDiagnostics> jointDiagnostics = new ArrayList<>();
    for (int[] pair : selection.pairs()) {
      int a = pair[0];
      int b = pair[1];
      long fitStart = System.nanoTime();
      int[] idx = concat(offsets[a], offsets[a + 1], offsets[b], offsets[b + 1]);
      double[] mu = new double[idx.length];
      double[][] c = new double[idx.length][idx.length];
      for (int i = 0; i < idx.length; i++) {
        mu[i] = mean[idx[i]];
        for (int j = 0; j < idx.length; j++) {
          c[i][j] = cov[idx[i]][idx[j]];
        }
      }
      Gaussian g = Gaussian.of(mu, c, floor);
      joints.add(JointDensity.of(a, b, Mixture.single(g), dims[a]));
      jointDiagnostics.add(diagnostics("joint " + names.get(a) + " × " + names.get(b), g, n,
          (System.nanoTime() - fitStart) / 1e9));
    }
    return new FittedDensities(marginals, joints, marginalDiagnostics, jointDiagnostics);
  }

  /**
   * Sums for the mean and covariance of the concatenation [z_0; …; z_{M−1}] of aligned rows, in
   * one pass; partitions are added in partition order, so the sums do not depend on which task
   * finished first.
   */
  public static CovarianceSums covariance(Dataset<Row> rows, int[] dims) {
    int models = dims.length;
    int[] offsets = new int[models + 1];
    for (int m = 0; m < models; m++) {
      offsets[m + 1] = offsets[m] + dims[m];
    }
    int total = offsets[models];
    // Internal rows: the vectors are read as primitive doubles, with no boxing.
    List<Tuple2<Integer, CovarianceSums>> parts = rows.queryExecution().toRdd().toJavaRDD().mapPartitionsWithIndex(
        (Integer index, Iterator<org.apache.spark.sql.catalyst.InternalRow> it) -> {
          CovarianceSums sums = new CovarianceSums(new double[total]);
          // blocks of rows through the rank-4 update; the block size is fixed, so the sums are too
          int block = BLOCK_ROWS;
          double[] x = new double[block * total];
          int filled = 0;
          while (it.hasNext()) {
            org.apache.spark.sql.catalyst.InternalRow r = it.next();
            for (int m = 0; m < models; m++) {
              AlignedRows.copyVector(r, m, x, filled * total + offsets[m]);
            }
            if (++filled == block) {
              sums.addRows(x, filled);
              filled = 0;
            }
          }
          sums.addRows(x, filled);
          return List.of(new Tuple2<>(index, sums)).iterator();
        }, true).collect();
    return PartitionOrder.fold(parts, new CovarianceSums(new double[total]), CovarianceSums::merge);
  }

  /**
   * A closed-form fit needs no iterations. Its log-likelihood on the fit sample is reported as
   * −n·h(fitted Gaussian): exact for the maximum-likelihood covariance without floor, and within
   * O(d + n·tr(F Σ⁻¹)) of it for the sample covariance plus floor F.
   */
  private static FitDiagnostics diagnostics(String name, Gaussian g, long n, double seconds) {
    return new FitDiagnostics(name, 1, 0, -n * g.entropy(), true, seconds, 0, Double.NaN, Double.NaN);
  }

  private static double[] block(double[] v, int from, int to) {
    return Arrays.copyOfRange(v, from, to);
  }

  private static double[][] block(double[][] c, int r0, int r1, int c0, int c1) {
    double[][] out = new double[r1 - r0][];
    for (int i = r0; i < r1; i++) {
      out[i - r0] = Arrays.copyOfRange(c[i], c0, c1);
    }
    return out;
  }

  private static int[] concat(int a0, int a1, int b0, int b1) {
    int[] idx = new int[(a1 - a0) + (b1 - b0)];
    int k = 0;
    for (int i = a0; i < a1; i++) {
      idx[k++] = i;
    }
    for (int i = b0; i < b1; i++) {
      idx[k++] = i;
    }
    return idx;
  }
}
