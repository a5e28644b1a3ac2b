package io.isrank.validate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Where the validation scan stops keeping rows whole for the fit sample. */
class FitCandidatesTest {

  /** The k-th smallest of n uniform 64-bit keys. */
  private static long kthOfUniform(int n, int k, long seed) {
    Random random = new Random(seed);
    long[] keys = new long[n];
    for (int i = 0; i < n; i++) {
      keys[i] = random.nextLong();
    }
    java.util.Arrays.sort(keys);
    return keys[k - 1];
  }

  @Test
  void theThresholdLiesAboveTheFitSamplesLargestKeyWhenModelsShareTheirIds() {
    // 200,000 items in each of 3 models, fit sample 20,000: the 20,000-th smallest key of the aligned
    // items must fall under the threshold, for any seed (the margin is about 20 standard deviations)
    long threshold = FitCandidates.threshold(Map.of("a", 200_000L, "b", 200_000L, "c", 200_000L), 20_000);
    for (long seed = 0; seed < 20; seed++) {
      assertTrue(kthOfUniform(200_000, 20_000, seed) <= threshold, "seed " + seed);
    }
    // and it keeps about 1.2 × the fit sample per model, not the input: the share of keys under it
    double share = (threshold / 0x1.0p64) + 0.5;
    assertEquals(1.2 * 20_000 / 200_000, share, 0.01);
  }

  @Test
  void smallInputsAreKeptWholeAndUnbalancedOnesNot() {
    // 3,000 items: the fit sample is half of them, and about three quarters are kept
    long small = FitCandidates.threshold(Map.of("a", 3000L, "b", 3000L), 20_000);
    for (long seed = 0; seed < 20; seed++) {
      assertTrue(kthOfUniform(3000, 1500, seed) <= small, "seed " + seed);
    }
    assertEquals(Long.MAX_VALUE, FitCandidates.threshold(Map.of("a", 300L, "b", 300L), 20_000),
        "300 items: every row is a candidate");
    assertEquals(Long.MIN_VALUE, FitCandidates.threshold(Map.of("a", 1000L, "b", 5_000_000L), 20_000),
        "a small model would make most of a large one's rows candidates: read the input instead");
    assertEquals(Long.MIN_VALUE, FitCandidates.threshold(Map.of("a", 1000L), 20_000), "one model: nothing to rank");
  }
}
