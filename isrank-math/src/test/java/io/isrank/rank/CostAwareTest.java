package io.isrank.rank;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class CostAwareTest {
  @Test
  void efficiencyDividesTheSourcesInformativenessByItsCost() {
    assertEquals(0.25, CostAware.efficiency(0.5, 2.0), 1e-15);
    // a useless model is worth nothing whatever it costs (not a negative ratio that rewards cost)
    assertEquals(0.0, CostAware.efficiency(-0.02, 10.0), 0.0);
    assertNull(CostAware.efficiency(0.5, null));
    assertNull(CostAware.efficiency(0.5, 0.0));
    assertNull(CostAware.efficiency(0.5, Double.NaN));
  }

  @Test
  void paretoFrontOfAHandMadeTable() {
    //            big   mid   cheap  pricey-weak  tie-cost  unknown
    double[] info = {0.9, 0.6, 0.3, 0.5, 0.6, 0.95};
    Double[] cost = {10.0, 4.0, 1.0, 12.0, 4.0, null};
    Boolean[] front = CostAware.paretoFront(info, cost);
    // big: nothing cheaper is as informative -> front; mid and tie-cost are equal in both -> both
    // on the front (neither strictly better); cheap: cheapest -> front; pricey-weak: big is cheaper
    // and better -> dominated; unknown cost -> not judged
    assertArrayEquals(new Boolean[] {true, true, true, false, true, null}, front);
    assertEquals(0, CostAware.dominatedBy(info, cost, 3)); // pricey-weak: big is the most informative dominator
    assertEquals(-1, CostAware.dominatedBy(info, cost, 1));
    assertEquals(-1, CostAware.dominatedBy(info, cost, 5));
  }

  @Test
  void equalCostLessInformativeIsDominated() {
    Boolean[] front = CostAware.paretoFront(new double[] {0.4, 0.5}, new Double[] {3.0, 3.0});
    assertArrayEquals(new Boolean[] {false, true}, front);
  }
}
