package io.isrank.math;

import io.isrank.error.EstimationException;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Fits a k-component full-covariance Gaussian mixture by expectation-maximisation, in memory, on
 * one thread: the engine that runs inside one Spark task per density.
 *
 * <pre>
 *   E: r_ik = w_k N(x_i; μ_k, Σ_k) / Σ_j w_j N(x_i; μ_j, Σ_j)         (log-sum-exp, Cholesky densities)
 *   M: N_k = Σ_i r_ik,  w_k = N_k / n,  μ_k = Σ_i r_ik x_i / N_k,
 *      Σ_k = Σ_i r_ik (x_i − μ_k)(x_i − μ_k)ᵀ / N_k + ε I
 * </pre>
 *
 * <p>Both steps run over blocks of rows held in one flat row-major array: the E-step through
 * {@link MixtureKernel} (rows times the inverse Cholesky factors, four rows at a time), the M-step
 * as weighted rank-4 updates of each scatter matrix. The scatter of every component is taken about
 * the data's mean c, and since the responsibilities of a row sum to one, the heaviest component's
 * scatter is the total scatter (computed once) minus the others': Σ_k r_ik (x_i − c)(x_i − c)ᵀ summed
 * over k is the same every iteration. For k = 2 that halves the M-step. Then
 * Σ_k = S_k / N_k − (μ_k − c)(μ_k − c)ᵀ + ε I.
 *
 * <p>Start: k-means++ seeds (Arthur and Vassilvitskii, 2007) refined by a few rounds of Lloyd's
 * k-means, on an even sample of the rows; with several restarts, the start with the smallest
 * within-cluster sum of squares wins, and EM runs once, from the hard assignment of every row to
 * its nearest centre. Restarts thus cost k-means rounds on a sample, not EM iterations. The floor
 * ε keeps every Σ_k positive definite; a component whose mass falls below {@link #MIN_MASS} rows is
 * dropped. Everything is a function of (data in order, settings): the same input gives the same
 * mixture to the last bit.
 */
public final class GaussianMixtureEm {
  /** A component with less responsibility mass than this many rows is removed. */
  public static final double MIN_MASS = 1.0;

  /** Every {@code VALIDATION_STRIDE}-th row is held out when choosing k. */
  public static final int VALIDATION_STRIDE = 5;

  private GaussianMixtureEm() {}

  /**
   * @param components  k ≥ 1 (k = 1 is the sample Gaussian with the floor, in one pass)
   * @param tolerance   stop when the mean log-likelihood per row improves by less than this (nats)
   * @param restarts    independent k-means starts, ≥ 1 (the tightest clustering seeds EM)
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
   * @param iterations    EM iterations (E-steps) of the run that produced the mixture
   * @param converged     whether that run stopped on the tolerance rather than the cap
   * @param work          E-steps over every restart and candidate size: what the fit cost
   * @param heldOut       mean log-likelihood per held-out row of the chosen size when k was chosen
   *                      by {@link #fitChoosingComponents}; NaN otherwise
   */
  public record Fit(Mixture mixture, int iterations, double logLikelihood, boolean converged, int work,
      double heldOut) {}

  /**
   * Chooses k in 1 … {@code s.components()} by held-out likelihood and fits it. Every fifth row
   * is held out; k = 1 is the sample Gaussian of the other rows, and each larger k runs EM on them
   * with early stopping: after every E-step the held-out rows are scored, and the run stops as soon
   * as their mean log-likelihood improves by less than the tolerance, keeping the best iterate. The
   * size with the best held-out score wins and is refitted on all rows: k = 1 in one closed form,
   * larger k by EM on all rows started from the validated mixture and run to the tolerance (the
   * calibration cases with non-Gaussian coordinates generalise better that way than the early-stopped
   * mixture fitted on four fifths of the rows). A mixture that only fits noise of the fit sample
   * scores worse on rows it has not seen, so k = 1 wins whenever more components do not generalise;
   * on such data a candidate whose held-out gains decay geometrically below k = 1's score is abandoned
   * after a few iterations instead of crawling to the training optimum.
   */
  public static Fit fitChoosingComponents(double[][] x, Settings s) {
    return fitChoosingComponents(flatten(x), x.length == 0 ? 0 : x[0].length, s);
  }

  /** As {@link #fitChoosingComponents(double[][], Settings)} for n rows of dimension d in a row-major array. */
  public static Fit fitChoosingComponents(double[] x, int d, Settings s) {
    int n = rowsOf(x, d);
    if (s.components() == 1 || n < 4 * VALIDATION_STRIDE) {
      return fit(x, d, s);
    }
    int held = (n + VALIDATION_STRIDE - 1) / VALIDATION_STRIDE;
    double[] trainRows = new double[(n - held) * d];
    double[] heldRows = new double[held * d];
    int t = 0;
    int v = 0;
    for (int i = 0; i < n; i++) {
      if (i % VALIDATION_STRIDE == 0) {
        System.arraycopy(x, i * d, heldRows, d * v++, d);
      } else {
        System.arraycopy(x, i * d, trainRows, d * t++, d);
      }
    }
    Data train = new Data(trainRows, d);
    Data validation = new Data(heldRows, d);
    Mixture one = single(train, s.floor());
    double bestScore = totalLogDensity(one.component(0), validation) / held;
    int bestK = 1;
    int bestIterations = 0;
    Mixture bestMixture = null;
    int work = 0;
    for (int k = 2; k <= s.components(); k++) {
      Run run = bestStart(train, validation, bestScore, k, s, s.maxIterations());
      work += run.work;
      if (run.bestHeld > bestScore) {
        bestScore = run.bestHeld;
        bestK = k;
        bestIterations = run.bestIteration;
        bestMixture = run.mixture;
      }
    }
    Data all = new Data(x, d);
    if (bestK == 1) {
      all.scatter = pooledScatter(all.centre, train, validation);
      Mixture m = single(all, s.floor());
      return new Fit(m, 0, totalLogDensity(m.component(0), all), true, work, bestScore);
    }
    Run refit = new Run(all, null, Double.NEGATIVE_INFINITY, bestMixture, s, s.maxIterations());
    while (!refit.done) {
      refit.step();
    }
    return new Fit(refit.mixture, bestIterations + refit.iterations, refit.logLikelihood, refit.converged,
        work + refit.iterations, bestScore);
  }

  public static Fit fit(double[][] x, Settings s) {
    return fit(flatten(x), x.length == 0 ? 0 : x[0].length, s);
  }

  /** Fits exactly {@code s.components()} components (fewer if some lose their mass) to n rows of dimension d. */
  public static Fit fit(double[] x, int d, Settings s) {
    rowsOf(x, d);
    Data data = new Data(x, d);
    if (s.components() == 1) {
      Mixture m = single(data, s.floor());
      return new Fit(m, 0, totalLogDensity(m.component(0), data), true, 0, Double.NaN);
    }
    Run run = bestStart(data, null, Double.NEGATIVE_INFINITY, s.components(), s, s.maxIterations());
    return new Fit(run.mixture, run.iterations, run.logLikelihood, run.converged, run.work, Double.NaN);
  }

  private static int rowsOf(double[] x, int d) {
    if (d < 1 || x.length % d != 0) {
      throw new IllegalArgumentException("EM needs rows of dimension >= 1; got " + x.length + " values for dimension "
          + d);
    }
    int n = x.length / d;
    if (n < 2) {
      throw new IllegalArgumentException("EM needs at least 2 rows, got " + n);
    }
    return n;
  }

  private static double[] flatten(double[][] x) {
    if (x.length == 0) {
      return new double[0];
    }
    int d = x[0].length;
    double[] flat = new double[x.length * d];
    for (int i = 0; i < x.length; i++) {
      if (x[i].length != d) {
        throw new IllegalArgumentException("row " + i + " has dimension " + x[i].length + ", row 0 has " + d);
      }
      System.arraycopy(x[i], 0, flat, i * d, d);
    }
    return flat;
  }

  /** One EM run from the best of the k-means starts, to its end; {@code work} = its iterations. */
  private static Run bestStart(Data data, Data validation, double bar, int k, Settings s, int maxIterations) {
    double[][] resp = initialResponsibilities(data, Math.min(k, data.n), s.restarts(), s.seed());
    Run run = new Run(data, validation, bar, resp, s, maxIterations);
    while (!run.done) {
      run.step();
    }
    run.work = run.iterations;
    if (validation != null && run.bestMixture != null) {
      run.mixture = run.bestMixture;
    }
    return run;
  }

  /** Rows of one fit, with what every iteration reuses: the mean, the centred rows, their scatter. */
  static final class Data {
    final double[] x;
    final int n;
    final int d;
    final double[] centre;
    private double[] centred;
    double[] scatter;

    Data(double[] x, int d) {
      this.x = x;
      this.d = d;
      this.n = x.length / d;
      this.centre = new double[d];
      for (int i = 0; i < n; i++) {
        int o = i * d;
        for (int a = 0; a < d; a++) {
          centre[a] += x[o + a];
        }
      }
      for (int a = 0; a < d; a++) {
        centre[a] /= n;
      }
    }

    /** x_i − c, row-major. */
    double[] centred() {
      if (centred == null) {
        centred = new double[x.length];
        for (int i = 0; i < n; i++) {
          int o = i * d;
          for (int a = 0; a < d; a++) {
            centred[o + a] = x[o + a] - centre[a];
          }
        }
      }
      return centred;
    }

    /** Σ_i (x_i − c)(x_i − c)ᵀ, upper triangle of a row-major d × d array. */
    double[] scatter() {
      if (scatter == null) {
        scatter = new double[d * d];
        addScatter(centred(), n, d, null, scatter);
      }
      return scatter;
    }
  }

  /** One EM run from one start. */
  private static final class Run {
    private final Data data;
    private final Data validation;
    private final Settings settings;
    private final int maxIterations;
    Mixture mixture;
    double[][] resp;
    double logLikelihood = Double.NEGATIVE_INFINITY;
    int iterations;
    int work;
    boolean done;
    boolean converged;
    double bestHeld = Double.NEGATIVE_INFINITY;
    Mixture bestMixture;
    int bestIteration;
    private final double bar;
    private double lastHeld = Double.NaN;
    private double lastGain = Double.NaN;
    private final java.util.ArrayDeque<Double> ratios = new java.util.ArrayDeque<>();

    /**
     * @param bar held-out score this run must beat to matter (a smaller k's); −∞: none
     */
    /** A run continuing from a mixture (warm start). */
    Run(Data data, Data validation, double bar, Mixture start, Settings s, int maxIterations) {
      this.data = data;
      this.validation = validation;
      this.bar = bar;
      this.settings = s;
      this.maxIterations = maxIterations;
      this.resp = new double[start.size()][data.n];
      this.mixture = start;
    }

    Run(Data data, Data validation, double bar, double[][] resp, Settings s, int maxIterations) {
      this.data = data;
      this.validation = validation;
      this.bar = bar;
      this.settings = s;
      this.maxIterations = maxIterations;
      this.resp = resp;
      this.mixture = maximise(data, resp, s.floor());
    }

    /** One E-step, the stopping tests and, unless stopping, one M-step. */
    void step() {
      if (resp.length != mixture.size()) {
        resp = new double[mixture.size()][data.n]; // a component was dropped
      }
      double previous = logLikelihood;
      MixtureKernel kernel = MixtureKernel.of(mixture); // one inversion per iteration serves both E-steps
      logLikelihood = expect(data, kernel, resp);
      iterations++;
      if (validation != null) {
        double held = expect(validation, kernel, null) / validation.n;
        double gain = held - lastHeld;
        if (held > bestHeld + settings.tolerance()) {
          bestHeld = held;
          bestMixture = mixture;
          bestIteration = iterations;
          if (cannotReachBar(held, gain)) {
            done = true;
            converged = true;
            return;
          }
          lastHeld = held;
          lastGain = gain;
        } else {
          if (held > bestHeld) {
            bestHeld = held;
            bestMixture = mixture;
            bestIteration = iterations;
          }
          done = true;
          converged = true;
          return;
        }
      } else if ((logLikelihood - previous) / data.n < settings.tolerance()) {
        done = true;
        converged = true;
        return;
      }
      if (iterations >= maxIterations) {
        done = true;
        return;
      }
      mixture = maximise(data, resp, settings.floor());
    }
    /**
     * Aitken's estimate of where the held-out score is heading: when successive gains shrink by a
     * ratio a in (0, 1), as EM's linear convergence makes them, the remaining gain is
     * gain · a / (1 − a) (Böhning et al., 1994; the same extrapolation underlies Aitken-based EM
     * stopping rules, McNicholas et al., 2010). If even that limit stays below the bar by more
     * than the tolerance, this candidate cannot win the comparison and the run stops. EM's early
     * iterations are not always in that regime — components that start on top of each other can
     * separate after a slow start, and the gains then grow again — so the rule applies only after
     * {@link #PRUNE_AFTER} iterations whose last {@link #DECAYING_GAINS} gain ratios all lie in
     * (0, {@link #MAX_RATIO}]: a sustained geometric decay.
     */
    private boolean cannotReachBar(double held, double gain) {
      if (bar == Double.NEGATIVE_INFINITY || !(gain > 0)) {
        ratios.clear();
        return false;
      }
      if (lastGain > 0) {
        ratios.addLast(gain / lastGain);
        if (ratios.size() > DECAYING_GAINS) {
          ratios.removeFirst();
        }
      }
      if (iterations < PRUNE_AFTER || ratios.size() < DECAYING_GAINS) {
        return false;
      }
      for (double r : ratios) {
        if (!(r > 0 && r <= MAX_RATIO)) {
          return false;
        }
      }
      double a = ratios.getLast();
      double limit = held + gain * a / (1 - a);
      return limit < bar - settings.tolerance();
    }
  }

  /** Iterations before a candidate may be abandoned by extrapolation. */
  static final int PRUNE_AFTER = 4;
  /** Consecutive gain ratios that must show geometric decay. */
  static final int DECAYING_GAINS = 2;
  /** Largest gain ratio counted as decay. */
  static final double MAX_RATIO = 0.6;

  /**
   * Σ_i log N(x_i; μ, Σ) over the rows of {@code data}, from their count, mean m and scatter S
   * about m alone, with no pass over the rows:
   * <pre>
   *   Σ_i (x_i − μ)ᵀ Σ⁻¹ (x_i − μ) = tr(Σ⁻¹ S) + n (m − μ)ᵀ Σ⁻¹ (m − μ),
   * </pre>
   * both terms through W = L⁻¹ (Σ⁻¹ = WᵀW): tr(W S Wᵀ) and n ‖W (m − μ)‖².
   */
  static double totalLogDensity(Gaussian g, Data data) {
    int d = data.d;
    double[] w = g.inverseFactor();
    double[] mu = g.meanView();
    double[] s = data.scatter();
    double[] full = new double[d * d];
    for (int a = 0; a < d; a++) {
      for (int b = a; b < d; b++) {
        full[a * d + b] = s[a * d + b];
        full[b * d + a] = s[a * d + b];
      }
    }
    double trace = 0;
    double offset = 0;
    double[] ws = new double[d];
    for (int r = 0; r < d; r++) {
      // row r of W times S (W is zero right of the diagonal), then its product with row r of W
      java.util.Arrays.fill(ws, 0);
      double wm = 0;
      for (int a = 0; a <= r; a++) {
        double v = w[r * d + a];
        wm += v * (data.centre[a] - mu[a]);
        for (int b = 0; b < d; b++) {
          ws[b] += v * full[a * d + b];
        }
      }
      for (int b = 0; b <= r; b++) {
        trace += ws[b] * w[r * d + b];
      }
      offset += wm * wm;
    }
    return data.n * g.logNormaliser() - 0.5 * (trace + data.n * offset);
  }

  /**
   * The scatter about {@code centre} of the union of two row sets, from each one's own mean and
   * scatter: S = Σ_p [S_p + n_p (m_p − c)(m_p − c)ᵀ] (upper triangle).
   */
  static double[] pooledScatter(double[] centre, Data first, Data second) {
    int d = centre.length;
    double[] s = new double[d * d];
    for (Data part : new Data[] {first, second}) {
      double[] sp = part.scatter();
      for (int a = 0; a < d; a++) {
        double da = part.centre[a] - centre[a];
        for (int b = a; b < d; b++) {
          s[a * d + b] += sp[a * d + b] + part.n * da * (part.centre[b] - centre[b]);
        }
      }
    }
    return s;
  }

  /** The sample Gaussian (maximum likelihood: divides by n) with the floor. */
  static Mixture single(Data data, double floor) {
    double[] s = data.scatter();
    int d = data.d;
    double[][] cov = new double[d][d];
    for (int a = 0; a < d; a++) {
      for (int b = a; b < d; b++) {
        cov[a][b] = s[a * d + b] / data.n;
        cov[b][a] = cov[a][b];
      }
    }
    return Mixture.single(Gaussian.of(data.centre, cov, floor));
  }

  /**
   * E-step: fills r_jk (when {@code resp}, indexed [component][row], is not null) and returns the
   * total log-likelihood, with the mixture's kernel ({@link MixtureKernel#of}) already built.
   */
  static double expect(Data data, MixtureKernel kernel, double[][] resp) {
    int n = data.n;
    int d = data.d;
    int k = kernel.size();
    double total = 0;
    if (resp == null) {
      double[] out = new double[MixtureKernel.BLOCK];
      for (int start = 0; start < n; start += MixtureKernel.BLOCK) {
        int count = Math.min(MixtureKernel.BLOCK, n - start);
        kernel.logDensities(data.x, start * d, d, count, out, 0);
        for (int r = 0; r < count; r++) {
          total += out[r];
        }
      }
      return total;
    }
    for (int start = 0; start < n; start += MixtureKernel.BLOCK) {
      int count = Math.min(MixtureKernel.BLOCK, n - start);
      kernel.componentLogTerms(data.x, start * d, d, count, resp, start);
      for (int i = start; i < start + count; i++) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < k; j++) {
          max = Math.max(max, resp[j][i]);
        }
        double sum = 0;
        for (int j = 0; j < k; j++) {
          double e = Math.exp(resp[j][i] - max);
          resp[j][i] = e;
          sum += e;
        }
        double inverse = 1.0 / sum;
        for (int j = 0; j < k; j++) {
          resp[j][i] *= inverse;
        }
        total += max + Math.log(sum);
      }
    }
    return total;
  }

  /** M-step from responsibilities [component][row]; drops components with mass below {@link #MIN_MASS}. */
  static Mixture maximise(Data data, double[][] resp, double floor) {
    int n = data.n;
    int d = data.d;
    int k = resp.length;
    double[] y = data.centred();
    double[] mass = new double[k];
    int heaviest = 0;
    boolean dropped = false;
    for (int j = 0; j < k; j++) {
      double m = 0;
      for (int i = 0; i < n; i++) {
        m += resp[j][i];
      }
      mass[j] = m;
      if (m > mass[heaviest]) {
        heaviest = j;
      }
      dropped |= m < MIN_MASS;
    }
    double[][] scatter = new double[k][];
    double[][] offset = new double[k][];
    for (int j = 0; j < k; j++) {
      if (mass[j] < MIN_MASS) {
        continue;
      }
      double[] r = resp[j];
      double[] mu = new double[d];
      for (int i = 0; i < n; i++) {
        double w = r[i];
        if (w != 0) {
          int o = i * d;
          for (int a = 0; a < d; a++) {
            mu[a] += w * y[o + a];
          }
        }
      }
      for (int a = 0; a < d; a++) {
        mu[a] /= mass[j];
      }
      offset[j] = mu;
      if (j != heaviest || dropped) {
        scatter[j] = new double[d * d];
        addScatter(y, n, d, r, scatter[j]);
      }
    }
    if (!dropped) {
      double[] rest = data.scatter().clone();
      for (int j = 0; j < k; j++) {
        if (j != heaviest) {
          double[] sj = scatter[j];
          for (int a = 0; a < d; a++) {
            for (int b = a; b < d; b++) {
              rest[a * d + b] -= sj[a * d + b];
            }
          }
        }
      }
      scatter[heaviest] = rest;
    }
    double[] weights = new double[k];
    Gaussian[] components = new Gaussian[k];
    int kept = 0;
    for (int j = 0; j < k; j++) {
      if (mass[j] < MIN_MASS) {
        continue;
      }
      double[] s = scatter[j];
      double[] mu = offset[j];
      double[][] cov = new double[d][d];
      double[] mean = new double[d];
      for (int a = 0; a < d; a++) {
        mean[a] = data.centre[a] + mu[a];
        for (int b = a; b < d; b++) {
          cov[a][b] = s[a * d + b] / mass[j] - mu[a] * mu[b];
          cov[b][a] = cov[a][b];
        }
      }
      weights[kept] = mass[j] / n;
      components[kept] = Gaussian.of(mean, cov, floor);
      kept++;
    }
    if (kept == 0) {
      throw new EstimationException("every mixture component lost its mass during EM");
    }
    return Mixture.of(Arrays.copyOf(weights, kept), Arrays.copyOf(components, kept));
  }

  /**
   * Adds Σ_i w_i y_i y_iᵀ ({@code w} null: all 1) to the upper triangle of {@code s}, four rows at
   * a time: one pass over s per four rows, the inner loop vectorised over its columns.
   */
  static void addScatter(double[] y, int n, int d, double[] w, double[] s) {
    int i = 0;
    for (; i + 4 <= n; i += 4) {
      double w0 = w == null ? 1 : w[i];
      double w1 = w == null ? 1 : w[i + 1];
      double w2 = w == null ? 1 : w[i + 2];
      double w3 = w == null ? 1 : w[i + 3];
      if (w0 == 0 && w1 == 0 && w2 == 0 && w3 == 0) {
        continue;
      }
      int o0 = i * d;
      int o1 = o0 + d;
      int o2 = o1 + d;
      int o3 = o2 + d;
      for (int a = 0; a < d; a++) {
        double c0 = w0 * y[o0 + a];
        double c1 = w1 * y[o1 + a];
        double c2 = w2 * y[o2 + a];
        double c3 = w3 * y[o3 + a];
        int row = a * d;
        for (int b = a; b < d; b++) {
          s[row + b] += c0 * y[o0 + b] + c1 * y[o1 + b] + c2 * y[o2 + b] + c3 * y[o3 + b];
        }
      }
    }
    for (; i < n; i++) {
      double wi = w == null ? 1 : w[i];
      if (wi == 0) {
        continue;
      }
      int o = i * d;
      for (int a = 0; a < d; a++) {
        double c = wi * y[o + a];
        int row = a * d;
        for (int b = a; b < d; b++) {
          s[row + b] += c * y[o + b];
        }
      }
    }
  }

  /** Rounds of Lloyd's k-means after the k-means++ seeding, at most. */
  static final int LLOYD_ROUNDS = 10;

  /** Rows the starting centres are computed on, at most (an even stride through the data). */
  static final int START_SAMPLE = 2_000;

  /**
   * k-means++ seeds refined by up to {@link #LLOYD_ROUNDS} rounds of Lloyd's k-means (stopping
   * when no row changes cluster), both on an even sample of at most {@link #START_SAMPLE} rows;
   * of {@code restarts} such clusterings the one with the smallest within-cluster sum of squares
   * on the sample wins, and every row is assigned (hard) to its nearest centre; [component][row]. The seeding alone
   * often splits off a few far rows in high dimension; a few k-means rounds move the split to where
   * the data's clusters are. A sample places k centres about as well as all rows do, at a fraction
   * of the cost (n·k·d per round).
   */
  static double[][] initialResponsibilities(Data data, int k, int restarts, long seed) {
    int n = data.n;
    int d = data.d;
    int stride = (n + START_SAMPLE - 1) / START_SAMPLE;
    int m = (n + stride - 1) / stride;
    double[] x = new double[m * d];
    for (int i = 0; i < m; i++) {
      System.arraycopy(data.x, i * stride * d, x, i * d, d);
    }
    double[] best = null;
    double bestInertia = Double.POSITIVE_INFINITY;
    for (int r = 0; r < restarts; r++) {
      double[] centres = kMeans(x, m, d, k, new SplittableRandom(seed + 0x9E3779B97F4A7C15L * r));
      double inertia = 0;
      for (int i = 0; i < m; i++) {
        inertia += squaredDistance(x, i * d, centres, nearestCentre(x, i * d, centres, k, d) * d, d);
      }
      if (inertia < bestInertia) {
        bestInertia = inertia;
        best = centres;
      }
    }
    double[][] resp = new double[k][n];
    for (int i = 0; i < n; i++) {
      resp[nearestCentre(data.x, i * d, best, k, d)][i] = 1;
    }
    return resp;
  }

  /** k-means++ seeding and Lloyd rounds on m rows; returns the k centres. */
  private static double[] kMeans(double[] x, int m, int d, int k, SplittableRandom random) {
    double[] centres = new double[k * d];
    System.arraycopy(x, random.nextInt(m) * d, centres, 0, d);
    double[] nearest = new double[m];
    Arrays.fill(nearest, Double.POSITIVE_INFINITY);
    for (int c = 1; c < k; c++) {
      double total = 0;
      for (int i = 0; i < m; i++) {
        nearest[i] = Math.min(nearest[i], squaredDistance(x, i * d, centres, (c - 1) * d, d));
        total += nearest[i];
      }
      int pick = m - 1;
      if (total > 0) {
        double u = random.nextDouble() * total;
        double cumulative = 0;
        for (int i = 0; i < m; i++) {
          cumulative += nearest[i];
          if (cumulative >= u) {
            pick = i;
            break;
          }
        }
      } else {
        pick = random.nextInt(m);
      }
      System.arraycopy(x, pick * d, centres, c * d, d);
    }
    int[] cluster = new int[m];
    Arrays.fill(cluster, -1);
    for (int round = 0; round < LLOYD_ROUNDS; round++) {
      boolean changed = false;
      for (int i = 0; i < m; i++) {
        int best = nearestCentre(x, i * d, centres, k, d);
        changed |= cluster[i] != best;
        cluster[i] = best;
      }
      if (!changed) {
        break;
      }
      double[] sums = new double[k * d];
      int[] counts = new int[k];
      for (int i = 0; i < m; i++) {
        int c = cluster[i];
        counts[c]++;
        for (int a = 0; a < d; a++) {
          sums[c * d + a] += x[i * d + a];
        }
      }
      for (int c = 0; c < k; c++) {
        if (counts[c] > 0) { // an empty cluster keeps its centre
          for (int a = 0; a < d; a++) {
            centres[c * d + a] = sums[c * d + a] / counts[c];
          }
        }
      }
    }
    return centres;
  }

  private static int nearestCentre(double[] x, int offset, double[] centres, int k, int d) {
    int best = 0;
    double bestDistance = Double.POSITIVE_INFINITY;
    for (int c = 0; c < k; c++) {
      double dist = squaredDistance(x, offset, centres, c * d, d);
      if (dist < bestDistance) {
        bestDistance = dist;
        best = c;
      }
    }
    return best;
  }

  private static double squaredDistance(double[] x, int a, double[] y, int b, int d) {
    double s = 0;
    for (int i = 0; i < d; i++) {
      double t = x[a + i] - y[b + i];
      s += t * t;
    }
    return s;
  }
}
