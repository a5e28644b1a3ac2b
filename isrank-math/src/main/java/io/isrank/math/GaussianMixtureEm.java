package io.isrank.math;


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
 *
 * <p>This class chooses k and runs EM (the {@code Run} state machine and its stopping rule); the
 * starts are {@link MixtureStarts}, the numeric steps {@link EmSteps}.
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
    Mixture one = EmSteps.single(train, s.floor());
    double bestScore = EmSteps.totalLogDensity(one.component(0), validation) / held;
    int bestK = 1;
    int bestIterations = 0;
    Mixture bestMixture = null;
    int work = 0;
    for (int k = 2; k <= s.components(); k++) {
      Run run = bestStart(train, validation, bestScore, k, s, s.maxIterations());
      work += run.work;
      if (run.bestHeld() > bestScore) {
        bestScore = run.bestHeld();
        bestK = k;
        bestIterations = run.bestIteration;
        bestMixture = run.mixture;
      }
    }
    Data all = new Data(x, d);
    if (bestK == 1) {
      all.scatter = EmSteps.pooledScatter(all.centre, train, validation);
      Mixture m = EmSteps.single(all, s.floor());
      return new Fit(m, 0, EmSteps.totalLogDensity(m.component(0), all), true, work, bestScore);
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
      Mixture m = EmSteps.single(data, s.floor());
      return new Fit(m, 0, EmSteps.totalLogDensity(m.component(0), data), true, 0, Double.NaN);
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
    double[][] resp = MixtureStarts.initialResponsibilities(data, Math.min(k, data.n), s.restarts(), s.seed());
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
        EmSteps.addScatter(centred(), n, d, null, scatter);
      }
      return scatter;
    }
  }

  /** One EM run from one start, stopped by a {@link StoppingRule}. */
  private static final class Run {
    private final Data data;
    private final Data validation;
    private final Settings settings;
    private final int maxIterations;
    private final StoppingRule rule;
    Mixture mixture;
    double[][] resp;
    double logLikelihood = Double.NEGATIVE_INFINITY;
    int iterations;
    int work;
    boolean done;
    boolean converged;
    Mixture bestMixture;
    int bestIteration;

    /** A run continuing from a mixture (warm start). */
    Run(Data data, Data validation, double bar, Mixture start, Settings s, int maxIterations) {
      this.data = data;
      this.validation = validation;
      this.settings = s;
      this.maxIterations = maxIterations;
      this.rule = rule(validation, bar, s);
      this.resp = new double[start.size()][data.n];
      this.mixture = start;
    }

    /**
     * @param bar held-out score this run must beat to matter (a smaller k's); −∞: none
     */
    Run(Data data, Data validation, double bar, double[][] resp, Settings s, int maxIterations) {
      this.data = data;
      this.validation = validation;
      this.settings = s;
      this.maxIterations = maxIterations;
      this.rule = rule(validation, bar, s);
      this.resp = resp;
      this.mixture = EmSteps.maximise(data, resp, s.floor());
    }

    /** Early stopping on held-out rows when there are some, else the training log-likelihood's gain. */
    private static StoppingRule rule(Data validation, double bar, Settings s) {
      return validation != null ? StoppingRule.heldOutScore(s.tolerance(), bar)
          : StoppingRule.trainingGain(s.tolerance());
    }

    /** The best held-out mean log-likelihood of the run (−∞ without held-out rows). */
    double bestHeld() {
      return rule.bestHeldOut();
    }

    /** One E-step, the stopping rule and, unless stopping, one M-step. */
    void step() {
      if (resp.length != mixture.size()) {
        resp = new double[mixture.size()][data.n]; // a component was dropped
      }
      double previous = logLikelihood;
      MixtureKernel kernel = MixtureKernel.of(mixture); // one inversion per iteration serves both E-steps
      logLikelihood = EmSteps.expect(data, kernel, resp);
      iterations++;
      double held = validation == null ? Double.NaN : EmSteps.expect(validation, kernel, null) / validation.n;
      StoppingRule.Verdict v = rule.after(iterations, (logLikelihood - previous) / data.n, held);
      if (v.best()) {
        bestMixture = mixture;
        bestIteration = iterations;
      }
      if (v.stop()) {
        done = true;
        converged = true;
        return;
      }
      if (iterations >= maxIterations) {
        done = true;
        return;
      }
      mixture = EmSteps.maximise(data, resp, settings.floor());
    }
  }
}
