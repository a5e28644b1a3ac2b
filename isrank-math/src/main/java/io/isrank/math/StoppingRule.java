package io.isrank.math;

/**
 * When one EM run stops. After every E-step the run tells the rule what it saw; the rule answers
 * whether to stop and whether this iterate is the best so far (the one the run returns). The
 * iteration cap is the run's own and not a rule's: stopping on it is not convergence.
 */
interface StoppingRule {
  /**
   * @param stop the run has converged by this rule
   * @param best this iterate is the best so far (rules that watch held-out rows)
   */
  record Verdict(boolean stop, boolean best) {}

  /**
   * @param iteration E-steps so far, from 1
   * @param trainGain rise of the training log-likelihood per row since the last E-step (+∞ on the first)
   * @param heldOut   mean held-out log-likelihood of the current mixture (NaN without held-out rows)
   */
  Verdict after(int iteration, double trainGain, double heldOut);

  /** The best held-out mean log-likelihood seen so far; −∞ for a rule that watches none. */
  double bestHeldOut();

  /** Stops when the training log-likelihood per row rises by less than {@code tolerance} nats. */
  static StoppingRule trainingGain(double tolerance) {
    return new StoppingRule() {
      @Override
      public Verdict after(int iteration, double trainGain, double heldOut) {
        return new Verdict(trainGain < tolerance, false);
      }

      @Override
      public double bestHeldOut() {
        return Double.NEGATIVE_INFINITY;
      }
    };
  }

  /**
   * Early stopping on held-out rows: stops at the first iterate that does not improve the best
   * held-out score by {@code tolerance} (keeping the better of the two), or as soon as the score
   * provably cannot reach {@code bar} (see {@link HeldOutScore}).
   *
   * @param bar held-out score this run must beat to matter (a smaller k's); −∞: none
   */
  static StoppingRule heldOutScore(double tolerance, double bar) {
    return new HeldOutScore(tolerance, bar);
  }

  /** {@link #heldOutScore}: early stopping, with abandonment by Aitken extrapolation. */
  final class HeldOutScore implements StoppingRule {
    /** Iterations before a candidate may be abandoned by extrapolation. */
    static final int PRUNE_AFTER = 4;
    /** Consecutive gain ratios that must show geometric decay. */
    static final int DECAYING_GAINS = 2;
    /** Largest gain ratio counted as decay. */
    static final double MAX_RATIO = 0.6;

    private final double tolerance;
    private final double bar;
    private double bestHeld = Double.NEGATIVE_INFINITY;
    private double lastHeld = Double.NaN;
    private double lastGain = Double.NaN;
    private final java.util.ArrayDeque<Double> ratios = new java.util.ArrayDeque<>();

    HeldOutScore(double tolerance, double bar) {
      this.tolerance = tolerance;
      this.bar = bar;
    }

    @Override
    public double bestHeldOut() {
      return bestHeld;
    }

    @Override
    public Verdict after(int iteration, double trainGain, double held) {
      double gain = held - lastHeld;
      if (held > bestHeld + tolerance) {
        bestHeld = held;
        if (cannotReachBar(iteration, held, gain)) {
          return new Verdict(true, true);
        }
        lastHeld = held;
        lastGain = gain;
        return new Verdict(false, true);
      }
      boolean better = held > bestHeld;
      if (better) {
        bestHeld = held;
      }
      return new Verdict(true, better);
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
    private boolean cannotReachBar(int iteration, double held, double gain) {
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
      if (iteration < PRUNE_AFTER || ratios.size() < DECAYING_GAINS) {
        return false;
      }
      for (double r : ratios) {
        if (!(r > 0 && r <= MAX_RATIO)) {
          return false;
        }
      }
      double a = ratios.getLast();
      double limit = held + gain * a / (1 - a);
      return limit < bar - tolerance;
    }
  }
}
