package io.isrank.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class RankAgreementTest {
  @Test
  void sameOrderIsOneAndReverseIsMinusOneWhateverTheScale() {
    double[] info = {0.1, 0.5, 0.7, 2.0};
    RankAgreement same = RankAgreement.of(info, new double[] {10, 20, 30, 400});
    assertEquals(1.0, same.spearman(), 1e-12);
    assertEquals(1.0, same.kendall(), 1e-12);
    RankAgreement reverse = RankAgreement.of(info, new double[] {0.9, 0.8, 0.3, 0.1});
    assertEquals(-1.0, reverse.spearman(), 1e-12);
    assertEquals(-1.0, reverse.kendall(), 1e-12);
    assertEquals(4, reverse.models());
  }

  @Test
  void oneAdjacentSwapMatchesTheHandComputedValues() {
    // ranks 1 2 3 4 vs 1 3 2 4: sum d^2 = 2, rho = 1 - 6*2/(4*15) = 0.8; 5 concordant and 1
    // discordant pair of 6, tau = 4/6.
    RankAgreement r = RankAgreement.of(new double[] {1, 2, 3, 4}, new double[] {1, 3, 2, 4});
    assertEquals(0.8, r.spearman(), 1e-12);
    assertEquals(4.0 / 6.0, r.kendall(), 1e-12);
  }

  @Test
  void tiesUseMeanRanksAndTauB() {
    // a has one tied pair: of 6 pairs, 5 concordant, 0 discordant, 1 tied in a only;
    // tau-b = 5 / sqrt((6 - 1) * (6 - 0)) = 0.9129.
    // Spearman on mean ranks (1, 2.5, 2.5, 4) vs (1, 2, 3, 4): Pearson = 0.9486833.
    RankAgreement r = RankAgreement.of(new double[] {1, 2, 2, 3}, new double[] {1, 2, 3, 4});
    assertEquals(5 / Math.sqrt(30), r.kendall(), 1e-12);
    assertEquals(4.5 / Math.sqrt(4.5 * 5), r.spearman(), 1e-12);
  }

  @Test
  void refusesWhatHasNoCorrelation() {
    assertThrows(IllegalArgumentException.class, () -> RankAgreement.of(new double[] {1, 2}, new double[] {1, 2}));
    assertThrows(IllegalArgumentException.class,
        () -> RankAgreement.of(new double[] {1, 2, 3}, new double[] {5, 5, 5}));
    assertThrows(IllegalArgumentException.class,
        () -> RankAgreement.of(new double[] {1, Double.NaN, 3}, new double[] {1, 2, 3}));
    assertThrows(IllegalArgumentException.class,
        () -> RankAgreement.of(new double[] {1, 2, 3}, new double[] {1, 2, 3, 4}));
  }
}
