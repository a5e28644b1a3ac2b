package io.isrank.math;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** log Σ exp without overflow, over a run or a strided column. */
class LogSumExpTest {
  @Test
  void largeAndSmallValuesStayFinite() {
    // exp(1000) overflows a double; log(e^1000 + e^1000) = 1000 + log 2
    assertEquals(1000 + Math.log(2), LogSumExp.of(new double[] {1000, 1000}, 2), 1e-12);
    assertEquals(-1000 + Math.log(3), LogSumExp.of(new double[] {-1000, -1000, -1000}, 3), 1e-12);
    assertEquals(Math.log(Math.exp(1) + Math.exp(2)), LogSumExp.of(new double[] {1, 2, 99}, 2), 1e-15,
        "only the first n values count");
    assertEquals(Double.NEGATIVE_INFINITY, LogSumExp.of(new double[] {Double.NEGATIVE_INFINITY}, 1));
  }

  @Test
  void aStridedColumnEqualsTheSameValuesInARow() {
    double[] block = {1, 9, 2, 9, 3, 9}; // the column at offset 0, stride 2: 1, 2, 3
    assertEquals(LogSumExp.of(new double[] {1, 2, 3}, 3), LogSumExp.of(block, 0, 2, 3), 0.0);
    assertEquals(9 + Math.log(3), LogSumExp.of(block, 1, 2, 3), 1e-12);
  }
}
