package io.isrank.rank;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class RankingTest {
  @Test
  void medianOfOddAndEvenCounts() {
    assertEquals(2.0, Statistics.median(new double[] {3, 1, 2}), 0.0);
    assertEquals(2.5, Statistics.median(new double[] {4, 1, 3, 2}), 0.0);
  }

  @Test
  void percentileInterpolatesLikeR() {
    // R: quantile(1:5, 0.1) = 1.4 (type 7)
    assertEquals(1.4, Statistics.percentile(new double[] {5, 4, 3, 2, 1}, 10), 1e-12);
  }

  @Test
  void ordersByInformativenessThenMean() {
    List<Ranking.RankedModel> r = Ranking.rank(List.of(
        new ModelScore("low", 0.1, 0.2, null, null, 3),
        new ModelScore("high", 0.9, 0.5, null, null, 3),
        new ModelScore("mid-b", 0.5, 0.6, null, null, 3),
        new ModelScore("mid-a", 0.5, 0.4, null, null, 3)));
    assertEquals(List.of("high", "mid-b", "mid-a", "low"), r.stream().map(x -> x.score().model()).toList());
    assertEquals(List.of(1, 2, 3, 4), r.stream().map(Ranking.RankedModel::rank).toList());
    assertFalse(r.get(0).medianTied());
    assertTrue(r.get(1).medianTied());
    assertTrue(r.get(2).medianTied());
  }

  @Test
  void exactTiesShareARank() {
    List<Ranking.RankedModel> r = Ranking.rank(List.of(
        new ModelScore("b", 0.5, 0.5, null, null, 2),
        new ModelScore("a", 0.5, 0.5, null, null, 2),
        new ModelScore("c", 0.1, 0.1, null, null, 2)));
    assertEquals(List.of(1, 1, 3), r.stream().map(Ranking.RankedModel::rank).toList());
    assertEquals("a", r.get(0).score().model());
  }

  @Test
  void nonFiniteScoresAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> new ModelScore("x", Double.NaN, 0, null, null, 1));
  }

  @Test
  void entropyNormalisationNeedsPositiveEntropy() {
    assertEquals(10.0, Normalisation.ENTROPY.divisor("m", 384, 16, 10.0), 0.0);
    assertEquals(384.0, Normalisation.DIM.divisor("m", 384, 16, 10.0), 0.0);
    assertThrows(io.isrank.error.EstimationException.class, () -> Normalisation.ENTROPY.divisor("m", 384, 16, -1.0));
    assertEquals(Normalisation.REDUCED_DIM, Normalisation.fromKey("reduced-dim"));
  }

  @Test
  void informativenessIsTheMedianWithAPercentileInterval() {
    double[][] replicates = new double[101][];
    for (int r = 0; r <= 100; r++) {
      // replicate medians 0.00, 0.01, …, 1.00
      replicates[r] = new double[] {-5, r / 100.0, 5};
    }
    ModelScore s = Informativeness.score("m", new double[] {0.2, 0.9, 0.4}, replicates, 0.90);
    assertEquals(0.4, s.informativeness(), 0.0);
    assertEquals(0.5, s.mean(), 1e-15);
    // type-7 percentiles of 0..1 in steps of 0.01 at 5% and 95% are 0.05 and 0.95
    assertEquals(0.05, s.lower(), 1e-12);
    assertEquals(0.95, s.upper(), 1e-12);
    assertEquals(3, s.targets());
  }

  @Test
  void noReplicatesGiveNoInterval() {
    ModelScore s = Informativeness.score("m", new double[] {1, 2}, null, 0.95);
    assertEquals(1.5, s.informativeness(), 0.0);
    assertEquals(null, s.lower());
  }
}
