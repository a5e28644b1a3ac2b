package io.isrank.math;

import java.util.ArrayList;
import java.util.List;
import org.apache.commons.math3.distribution.ChiSquaredDistribution;

/**
 * How many whitened directions of each model to keep: every direction that carries detectable
 * information about another model, whatever its variance.
 *
 * <p>A fixed p keeps the p directions of largest variance, but the directions two models share
 * need not be those: with a non-orthogonal mixing they are spread over all of them, and a model's
 * IS is silently cut (77 % low at p = 16 on such a zoo). Here each model starts from as many
 * directions as the fit rows support (its cap, decided outside), ordered by variance, and only a
 * trailing block that is <em>demonstrably uninformative</em> is dropped:
 *
 * <ul>
 *   <li>For direction j of model U and another model V, r²ⱼ(V) is the squared multiple correlation
 *       of U's j-th whitened coordinate with all of V's: cⱼᵀ S_VV⁻¹ cⱼ / S_jj on the selection
 *       rows.
 *   <li>The tail from k on is informative about V when T = (n − 1) Σ_{j ≥ k} r²ⱼ(V) exceeds the
 *       χ² quantile with (c_U − k)·p_V degrees of freedom, its null distribution when those
 *       directions are independent of V (Wilks; the directions are uncorrelated after whitening).
 *       Summing the tail gives the test power against many weak directions, which a test per
 *       direction lacks (300 directions with r² = 0.05 each carry about 8 nats together).
 *   <li>U keeps every direction up to the last k whose tail is informative about some V; the
 *       level is {@link #ALPHA} split over all the tests (Bonferroni), so a model of pure noise
 *       keeps {@code minDims} directions with probability 1 − α.
 * </ul>
 *
 * <p>A model cut by its cap (fewer rows or reduce.max-dims than directions) whose last block of
 * {@link #EDGE_BLOCK} directions is still informative about V is flagged: IS between U and V may
 * be truncated.
 */
public final class DimensionChoice {
  /** Family-wise level of the tail tests of one model. */
  public static final double ALPHA = 1e-3;
  /** The last directions below a cap tested for "information continues beyond the cap". */
  public static final int EDGE_BLOCK = 8;

  private DimensionChoice() {}

  /**
   * One model's choice.
   *
   * @param kept             directions kept (≤ the cap)
   * @param trimmed          true when trailing directions were dropped as uninformative
   * @param informativeAtCap per other model: its information may continue beyond this model's
   *                         cap (false when the cap is not binding)
   */
  public record Kept(int kept, boolean trimmed, boolean[] informativeAtCap) {}

  /**
   * @param covariance covariance of the concatenated whitened vectors [z_0; …; z_{M−1}] on the
   *                   selection rows, each model at its cap (dims[m] directions, largest variance
   *                   first)
   * @param dims       each model's directions in {@code covariance} (its cap)
   * @param capBinding per model: the cap cut it (it has more directions than dims[m])
   * @param rows       n, the selection rows the covariance was taken on
   * @param minDims    the fewest directions any model keeps (a pure-noise model keeps these)
   */
  public static List<Kept> choose(double[][] covariance, int[] dims, boolean[] capBinding, long rows, int minDims) {
    int models = dims.length;
    int[] offsets = new int[models + 1];
    for (int m = 0; m < models; m++) {
      offsets[m + 1] = offsets[m] + dims[m];
    }
    if (covariance.length != offsets[models]) {
      throw new IllegalArgumentException("covariance has dimension " + covariance.length + ", the models' "
          + "directions add up to " + offsets[models]);
    }
    // Models are independent of each other: their factors and their choices run on the driver's
    // cores in parallel, each with the same result as alone.
    Cholesky[] factors = java.util.stream.IntStream.range(0, models).parallel()
        .mapToObj(v -> Cholesky.of(block(covariance, offsets[v], dims[v]))).toArray(Cholesky[]::new);
    Critical critical = new Critical();
    return java.util.stream.IntStream.range(0, models).parallel()
        .mapToObj(u -> choose(u, covariance, dims, offsets, factors, capBinding, rows, minDims, critical)).toList();
  }

  private static Kept choose(int u, double[][] covariance, int[] dims, int[] offsets, Cholesky[] factors,
      boolean[] capBinding, long rows, int minDims, Critical critical) {
    int models = dims.length;
    int c = dims[u];
    int tests = Math.max(1, c * (models - 1));
    int keep = Math.min(minDims, c);
    boolean[] edge = new boolean[models];
    for (int v = 0; v < models; v++) {
      if (v == u || dims[v] == 0 || c == 0) {
        continue;
      }
      double[] r2 = multipleCorrelations(covariance, offsets[u], c, offsets[v], dims[v], factors[v]);
      // tail sums from the end: tail[k] = Σ_{j ≥ k} r²ⱼ
      double tail = 0;
      for (int k = c - 1; k >= 0 && k + 1 > keep; k--) {
        tail += r2[k];
        if (critical.exceeded(tail, c - k, dims[v], rows, ALPHA / tests)) {
          keep = k + 1; // the last informative tail found from the end: nothing after it is kept for V
          break;
        }
      }
      if (capBinding[u]) {
        int b = Math.min(EDGE_BLOCK, c);
        double last = 0;
        for (int k = c - b; k < c; k++) {
          last += r2[k];
        }
        edge[v] = critical.exceeded(last, b, dims[v], rows, ALPHA / Math.max(1, models - 1));
      }
    }
    return new Kept(keep, keep < c, edge);
  }

  /** The χ² quantile of level α with df degrees of freedom. */
  private static double critical(double df, double alpha) {
    // beyond a million degrees of freedom the χ² is normal to within the test's own approximation
    return df > 1e6 ? df + Math.sqrt(2 * df) * normalQuantile(1 - alpha)
        : new ChiSquaredDistribution(null, df).inverseCumulativeProbability(1 - alpha);
  }

  /**
   * The tests' critical values, each computed once: a quantile costs about 0.1 ms, and the same
   * (degrees of freedom, level) recur for every pair of models of equal width (42,000 quantiles,
   * 4 s, at 11 models of 384 directions; a few hundred distinct ones).
   */
  private static final class Critical {
    private record Key(long df, double level) {}

    private final java.util.Map<Key, Double> known = new java.util.concurrent.ConcurrentHashMap<>();

    /** (n − 1)·Σ r² over t directions exceeds the χ²(t·p_V) quantile of level α. */
    boolean exceeded(double sumR2, int t, int pv, long rows, double level) {
      Key k = new Key((long) t * pv, level);
      return (rows - 1) * sumR2 > known.computeIfAbsent(k, x -> critical(x.df(), x.level()));
    }
  }

  private static double normalQuantile(double p) {
    return new org.apache.commons.math3.distribution.NormalDistribution(null, 0, 1).inverseCumulativeProbability(p);
  }

  /** r²ⱼ of each of U's directions on V's block: cⱼᵀ S_VV⁻¹ cⱼ / S_jj, for all j in one solve. */
  private static double[] multipleCorrelations(double[][] cov, int uFrom, int pu, int vFrom, int pv, Cholesky vv) {
    // rows of S_VU: c_j is column j
    double[][] cross = new double[pv][];
    for (int k = 0; k < pv; k++) {
      cross[k] = java.util.Arrays.copyOfRange(cov[vFrom + k], uFrom, uFrom + pu);
    }
    double[] explained = vv.squaredNormsOfSolves(cross);
    double[] r2 = new double[pu];
    for (int j = 0; j < pu; j++) {
      double sjj = cov[uFrom + j][uFrom + j];
      r2[j] = sjj > 0 ? Math.min(1.0, explained[j] / sjj) : 0;
    }
    return r2;
  }

  private static double[][] block(double[][] c, int from, int size) {
    double[][] out = new double[size][];
    for (int i = 0; i < size; i++) {
      out[i] = java.util.Arrays.copyOfRange(c[from + i], from, from + size);
    }
    return out;
  }
}
