package io.isrank.math;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class StoppingRuleTest {
  private static final double TOL = 1e-3;

  @Test
  void trainingGainStopsAtTheFirstRiseBelowTheTolerance() {
    StoppingRule rule = StoppingRule.trainingGain(TOL);
    assertFalse(rule.after(1, Double.POSITIVE_INFINITY, Double.NaN).stop(), "the first E-step has nothing to compare");
    assertFalse(rule.after(2, 0.5, Double.NaN).stop());
    assertFalse(rule.after(3, 2 * TOL, Double.NaN).stop());
    StoppingRule.Verdict last = rule.after(4, TOL / 2, Double.NaN);
    assertTrue(last.stop());
    assertFalse(last.best(), "no held-out rows: no best iterate to keep");
    assertEquals(Double.NEGATIVE_INFINITY, rule.bestHeldOut());
  }

  @Test
  void heldOutScoreStopsWhenTheScoreStallsAndKeepsTheBetterIterate() {
    StoppingRule rule = StoppingRule.heldOutScore(TOL, Double.NEGATIVE_INFINITY);
    assertEquals(new StoppingRule.Verdict(false, true), rule.after(1, Double.POSITIVE_INFINITY, -3.0));
    assertEquals(new StoppingRule.Verdict(false, true), rule.after(2, 0.1, -2.5));
    // a rise smaller than the tolerance: stop, but this iterate is still the best
    assertEquals(new StoppingRule.Verdict(true, true), rule.after(3, 0.1, -2.5 + TOL / 2));
    assertEquals(-2.5 + TOL / 2, rule.bestHeldOut());

    StoppingRule falling = StoppingRule.heldOutScore(TOL, Double.NEGATIVE_INFINITY);
    falling.after(1, Double.POSITIVE_INFINITY, -2.0);
    assertEquals(new StoppingRule.Verdict(true, false), falling.after(2, 0.1, -2.2), "worse: stop, keep the earlier");
    assertEquals(-2.0, falling.bestHeldOut());
  }

  @Test
  void heldOutScoreAbandonsARunWhoseExtrapolatedLimitCannotReachTheBar() {
    // held_i = L − 0.5^i: gains halve (ratio 0.5 ≤ 0.6), so Aitken's limit is exactly L. With the
    // bar above L the run is abandoned at the first iteration the rule may act (PRUNE_AFTER = 4),
    // long before its gains fall below the tolerance (0.5^10 ≈ 0.001 would take 10).
    double limit = -2.0;
    StoppingRule hopeless = StoppingRule.heldOutScore(TOL, limit + 0.05);
    int stopped = 0;
    for (int i = 1; i <= 20 && stopped == 0; i++) {
      if (hopeless.after(i, 1.0, limit - Math.pow(0.5, i)).stop()) {
        stopped = i;
      }
    }
    assertEquals(StoppingRule.HeldOutScore.PRUNE_AFTER, stopped);

    // the same scores against a bar below the limit: the run goes on until its gains stall
    StoppingRule promising = StoppingRule.heldOutScore(TOL, limit - 0.05);
    int ran = 0;
    for (int i = 1; i <= 20 && ran == 0; i++) {
      if (promising.after(i, 1.0, limit - Math.pow(0.5, i)).stop()) {
        ran = i;
      }
    }
    assertEquals(10, ran, "stops when the gain 0.5^10 < 1e-3, by the tolerance");
  }
}
