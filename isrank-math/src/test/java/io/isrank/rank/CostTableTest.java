package io.isrank.rank;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.isrank.rank.CostTable.Cost;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The ranking table's cost columns and the explanations' cost sentence, from hand-made costs. */
class CostTableTest {
  private static final List<String> MODELS = List.of("a", "b", "c");
  private static final double[] INFO = {0.5, 0.3, 0.1};

  @Test
  void theExplanationsSpeakOfInferenceTimeWhenAnyModelHasIt() {
    CostTable t = new CostTable(MODELS, INFO, Map.of(Cost.DIM, new Double[] {64.0, 32.0, 16.0},
        Cost.PARAMETERS, new Double[] {2e7, 1e7, 3e7}, Cost.MS_PER_ITEM, new Double[] {12.0, 30.0, null}));
    assertEquals(Cost.MS_PER_ITEM, t.explained(), "time beats parameters");
    assertEquals("on the Pareto front of informativeness vs ms per item (12)", t.note(0));
    assertEquals("dominated on ms per item (30) by a", t.note(1), "a is more informative and faster");
    assertEquals("ms per item unknown", t.note(2));
  }

  @Test
  void withoutMetadataTheDimensionIsTheCost() {
    CostTable t = new CostTable(MODELS, INFO, Map.of(Cost.DIM, new Double[] {64.0, 32.0, 64.0}));
    assertEquals(Cost.DIM, t.explained());
    assertEquals("on the Pareto front of informativeness vs dimension (64)", t.note(0));
    assertEquals("dominated on dimension (64) by a", t.note(2));
    assertNull(t.value(Cost.PARAMETERS, 0));
    assertNull(t.efficiency(Cost.PARAMETERS, 0));
    assertNull(t.onFront(Cost.PARAMETERS, 0), "no front where the cost is unknown");
  }

  @Test
  void efficienciesArePerMillionParametersAndPerMegabyte() {
    CostTable t = new CostTable(MODELS, INFO, Map.of(Cost.DIM, new Double[] {64.0, 32.0, 16.0},
        Cost.PARAMETERS, new Double[] {2e7, null, null}, Cost.MODEL_BYTES, new Double[] {5e7, null, null}));
    assertEquals(0.5 / 64, t.efficiency(Cost.DIM, 0), 1e-15);
    assertEquals(0.5 / 20, t.efficiency(Cost.PARAMETERS, 0), 1e-15, "20 million parameters");
    assertEquals(0.5 / 50, t.efficiency(Cost.MODEL_BYTES, 0), 1e-15, "50 MB");
    assertEquals(Cost.PARAMETERS, t.explained(), "parameters come before model size");
    assertEquals("on the Pareto front of informativeness vs parameter count (2.00e+07)", t.note(0));
  }
}
