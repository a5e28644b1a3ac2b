package io.isrank.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The plots' axes: round ticks that cover the data, labels without noise digits. */
class HtmlReportAxesTest {
  @Test
  void ticksAreRoundAndCoverTheRange() {
    assertArrayEquals(new double[] {0, 0.2, 0.4, 0.6, 0.8}, HtmlReport.ticks(0, 0.73), 1e-12);
    assertArrayEquals(new double[] {-0.05, 0, 0.05, 0.1, 0.15}, HtmlReport.ticks(-0.031, 0.12), 1e-12);
    assertArrayEquals(new double[] {0, 0.2, 0.4, 0.6, 0.8, 1}, HtmlReport.ticks(0, 0), 1e-12,
        "an empty range still gets an axis, 0 to 1");
    for (double[] range : new double[][] {{0, 3.7e-4}, {-2, 913}, {0.3, 0.31}, {-1e6, 1e6}}) {
      double[] t = HtmlReport.ticks(range[0], range[1]);
      assertTrue(t[0] <= range[0] && t[t.length - 1] >= range[1], "covers " + range[0] + ".." + range[1]);
      assertTrue(t.length >= 2 && t.length <= 7, t.length + " ticks");
      double step = t[1] - t[0];
      double mantissa = step / Math.pow(10, Math.floor(Math.log10(step) + 1e-9));
      assertTrue(Math.abs(mantissa - 1) < 1e-6 || Math.abs(mantissa - 2) < 1e-6 || Math.abs(mantissa - 5) < 1e-6,
          "step " + step + " is 1, 2 or 5 times a power of ten");
    }
  }

  @Test
  void tickLabelsDropTrailingZeros() {
    assertEquals("0.2", HtmlReport.tick(0.2));
    assertEquals("0", HtmlReport.tick(0));
    assertEquals("-0.05", HtmlReport.tick(-0.05));
    assertEquals("150", HtmlReport.tick(150));
  }
}
