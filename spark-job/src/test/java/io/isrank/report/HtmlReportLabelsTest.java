package io.isrank.report;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Scatter-plot labels: placed apart, below their points, and always placed (no endless loop). */
class HtmlReportLabelsTest {

  @Test
  @org.junit.jupiter.api.Timeout(10) // the old placement never returned
  void labelsOfTiedPointsAtOneCostStackWithoutOverlapAndPlacementEnds() {
    // The pixel rows of a real 8-model ranking (one cost for all; two models tied): the old
    // placement looped forever on the fourth label, and the benchmark's report never finished.
    double[] ys = {20.0, 32.19013248527281, 49.51629704366787, 53.58627862806176, 53.58627862806176,
        110.0060821160817, 166.275430559048, 259.9937678763933};
    double[] xs = new double[ys.length];
    java.util.Arrays.fill(xs, 180);
    double[] labels = HtmlReport.labelPositions(xs, ys);
    for (int i = 0; i < ys.length; i++) {
      assertTrue(labels[i] >= ys[i] + 4, "label " + i + " sits below its point");
      for (int j = 0; j < i; j++) {
        assertTrue(Math.abs(labels[i] - labels[j]) >= 11 - 1e-9, "labels " + j + " and " + i + " overlap: "
            + labels[j] + ", " + labels[i]);
      }
    }
  }

  @Test
  void labelsFarApartInXStayBesideTheirPoints() {
    double[] labels = HtmlReport.labelPositions(new double[] {60, 300}, new double[] {100, 100});
    assertTrue(labels[0] == 104 && labels[1] == 104, "no overlap to avoid: " + labels[0] + ", " + labels[1]);
  }
}
