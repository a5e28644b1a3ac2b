package io.isrank.math;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Fits a k-component full-covariance Gaussian mixture by expectation-maximisation, in memory, on
 * one thread: the engine that runs inside one Spark task per density.
 *
 * <p>Each restart seeds the means by k-means++ (Arthur and Vassilvitskii, 2007) and starts from the
 * hard assignment to the nearest seed; EM then alternates
 * <pre>
 *   E: r_ik = w_k N(x_i; μ_k, Σ_k) / Σ_j w_j N(x_i; μ_j, Σ_j)         (log-sum-exp, Cholesky densities)
 *   M: N_k = Σ_i r_ik,  w_k = N_k / n,  μ_k = Σ_i r_ik x_i / N_k,
 *      Σ_k = Σ_i r_ik (x_i − μ_k)(x_i − μ_k)ᵀ / N_k + ε I
 * </pre>
 * until the mean log-likelihood per row improves by less than the tolerance, or the iteration
 * cap. The floor ε keeps every Σ_k positive definite (a component cannot collapse onto a point);
 * a component whose mass falls below {@link #MIN_MASS} rows is dropped. The restart with the
 * highest final log-likelihood wins. Everything is a function of (data in order, settings): the
 * same input gives the same mixture to the last bit.
 */
public final class GaussianMixtureEm {
  /** A component with less responsibility mass than this many rows is removed. */
  public static final double MIN_MASS = 1.0;

  private GaussianMixtureEm() {}

  /**
   * @param components  k ≥ 1 (k = 1 is the sample Gaussian with the floor, in one step)
   * @param tolerance   stop when the mean log-likelihood per row improves by less than this (nats)
   * @param restarts    independent initialisations, ≥ 1
   * @param floor       ε added to every covariance's diagonal
   */
  public record Settings(int components, int maxIterations, double tolerance, int restarts, double floor, long seed) {
    public Settings {
      if (components < 1 || maxIterations < 1 || restarts < 1 || !(tolerance >= 0) || !(floor > 0)) {
        throw new IllegalArgumentException("invalid EM settings " + this);
      }
    }
  }

  /**
   * A fitted mixture and how it was fitted.
   *
   * @param logLikelihood total log-likelihood of the data under the returned mixture, nats
   * @param iterations    EM iterations of the chosen restart
   * @param converged     whether it stopped on the tolerance rather than the cap
   */
  public record Fit(Mixture mixture, int iterations, double logLikelihood, boolean converged) {}

  /** Every {@code VALIDATION_STRIDE}-th row is held out when choosing k. */
  public static final int VALIDATION_STRIDE = 5;

  /**
   * Chooses k in 1 … {@code s.components()} by held-out likelihood and fits it: every fifth row is
   * held out, a mixture of each size is fitted on the other rows and scored on those, and the size
   * with the best held-out mean log-likelihood is refitted on all rows. A mixture that only fits
   * noise of the fit sample (narrow components on a few outliers) scores badly on rows it has not
   * seen and is not chosen; k = 1 wins whenever more components do not generalise.
   */
  public static Fit fitChoosingComponents(double[][] x, Settings s) {
    if (s.components() == 1 || x.length < 4 * VALIDATION_STRIDE) {
      return fit(x, s);
    }
    int held = (x.length + VALIDATION_STRIDE - 1) / VALIDATION_STRIDE;
    double[][] train = new double[x.length - held][];
    double[][] validation = new double[held][];
    int t = 0;
    int v = 0;
    for (int i = 0; i < x.length; i++) {
      if (i % VALIDATION_STRIDE == 0) {
        validation[v++] = x[i];
      } else {
        train[t++] = x[i];
      }
    }
    int bestK = 1;
    double bestScore = Double.NEGATIVE_INFINITY;
    for (int k = 1; k <= s.components(); k++) {
      Mixture m = fit(train, withComponents(s, k)).mixture();
      double score = expect(validation, m, null) / validation.length;
      if (score > bestScore) {
        bestScore = score;
        bestK = k;
      }
    }
    return fit(x, withComponents(s, bestK));
  }

  private static Settings withComponents(Settings s, int k) {
    return new Settings(k, s.maxIterations(), s.tolerance(), s.restarts(), s.floor(), s.seed());
  }

  public static Fit fit(double[][] x, Settings s) {
    int n = x.length;
    if (n < 2) {
      throw new IllegalArgumentException("EM needs at least 2 rows, got " + n);
    }
    Fit best = null;
    for (int r = 0; r < s.restarts(); r++) {
      Fit f = fitOnce(x, s, new SplittableRandom(s.seed() + 0x9E3779B97F4A7C15L * r));
      if (best == null || f.logLikelihood() > best.logLikelihood()) {
        best = f;
      }
    }
    return best;
  }

  private static Fit fitOnce(double[][] x, Settings s, SplittableRandom random) {
    int n = x.length;
    int k = Math.min(s.components(), n);
    double[][] resp = initialResponsibilities(x, k, random);
    Mixture mixture = maximise(x, resp, s.floor());
    double previous = Double.NEGATIVE_INFINITY;
    double ll = Double.NEGATIVE_INFINITY;
    int iterations = 0;
    boolean converged = false;
    if (s.components() == 1) {
      return new Fit(mixture, 0, expect(x, mixture, null), true);
    }
    while (iterations < s.maxIterations()) {
      if (resp[0].length != mixture.size()) {
        resp = new double[n][mixture.size()]; // a component was dropped; otherwise E overwrites in place
      }
      ll = expect(x, mixture, resp);
      iterations++;
      if ((ll - previous) / n < s.tolerance()) {
        converged = true;
        break;
      }
      previous = ll;
      mixture = maximise(x, resp, s.floor());
    }
    if (!converged) {
      ll = expect(x, mixture, null);
    }
    return new Fit(mixture, iterations, ll, converged);
  }

  /**
   * E-step: fills r_ik (when {@code resp} is not null) and returns the total log-likelihood.
   */
  static double expect(double[][] x, Mixture mixture, double[][] resp) {
    int k = mixture.size();
    double[] logw = new double[k];
    for (int j = 0; j < k; j++) {
      logw[j] = Math.log(mixture.weight(j));
    }
    double[] work = new double[mixture.dim()];
    double[] lp = new double[k];
    double total = 0;
    for (int i = 0; i < x.length; i++) {
      for (int j = 0; j < k; j++) {
        lp[j] = logw[j] + mixture.component(j).logDensity(x[i], null, work);
      }
      double l = LogSumExp.of(lp, k);
      total += l;
      if (resp != null) {
        for (int j = 0; j < k; j++) {
          resp[i][j] = Math.exp(lp[j] - l);
        }
      }
    }
    return total;
  }

  /** M-step from responsibilities; drops components with mass below {@link #MIN_MASS}. */
  static Mixture maximise(double[][] x, double[][] resp, double floor) {
    int n = x.length;
    int d = x[0].length;
    int k = resp[0].length;
    double[] weights = new double[k];
    Gaussian[] components = new Gaussian[k];
    int kept = 0;
    for (int j = 0; j < k; j++) {
      double mass = 0;
      double[] mean = new double[d];
      for (int i = 0; i < n; i++) {
        double r = resp[i][j];
        mass += r;
        double[] xi = x[i];
        for (int a = 0; a < d; a++) {
          mean[a] += r * xi[a];
        }
      }
      if (mass < MIN_MASS) {
        continue;
      }
      for (int a = 0; a < d; a++) {
        mean[a] /= mass;
      }
      double[][] cov = new double[d][d];
      double[] y = new double[d];
      for (int i = 0; i < n; i++) {
        double r = resp[i][j];
        if (r == 0) {
          continue;
        }
        double[] xi = x[i];
        for (int a = 0; a < d; a++) {
          y[a] = xi[a] - mean[a];
        }
        for (int a = 0; a < d; a++) {
          double ra = r * y[a];
          double[] row = cov[a];
          for (int b = a; b < d; b++) {
            row[b] += ra * y[b];
          }
        }
      }
      for (int a = 0; a < d; a++) {
        for (int b = a; b < d; b++) {
          cov[a][b] /= mass;
          cov[b][a] = cov[a][b];
        }
      }
      weights[kept] = mass / n;
      components[kept] = Gaussian.of(mean, cov, floor);
      kept++;
    }
    if (kept == 0) {
      throw new io.isrank.error.EstimationException("every mixture component lost its mass during EM");
    }
    return Mixture.of(Arrays.copyOf(weights, kept), Arrays.copyOf(components, kept));
  }

  /** k-means++ seeds, then each row assigned (hard) to its nearest seed. */
  static double[][] initialResponsibilities(double[][] x, int k, SplittableRandom random) {
    int n = x.length;
    double[][] centres = new double[k][];
    centres[0] = x[random.nextInt(n)];
    double[] nearest = new double[n];
    Arrays.fill(nearest, Double.POSITIVE_INFINITY);
    for (int c = 1; c < k; c++) {
      double total = 0;
      for (int i = 0; i < n; i++) {
        nearest[i] = Math.min(nearest[i], squaredDistance(x[i], centres[c - 1]));
        total += nearest[i];
      }
      int pick = n - 1;
      if (total > 0) {
        double u = random.nextDouble() * total;
        double cumulative = 0;
        for (int i = 0; i < n; i++) {
          cumulative += nearest[i];
          if (cumulative >= u) {
            pick = i;
            break;
          }
        }
      } else {
        pick = random.nextInt(n);
      }
      centres[c] = x[pick];
    }
    double[][] resp = new double[n][k];
    for (int i = 0; i < n; i++) {
      int best = 0;
      double bestDistance = Double.POSITIVE_INFINITY;
      for (int c = 0; c < k; c++) {
        double dist = squaredDistance(x[i], centres[c]);
        if (dist < bestDistance) {
          bestDistance = dist;
          best = c;
        }
      }
      resp[i][best] = 1;
    }
    return resp;
  }

  private static double squaredDistance(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      double t = a[i] - b[i];
      s += t * t;
    }
    return s;
  }
}
