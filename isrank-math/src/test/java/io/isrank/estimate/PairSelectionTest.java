package io.isrank.estimate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class PairSelectionTest {
  @Test
  void allModelsGiveEveryOrderedPairAndOneJointPerUnorderedPair() {
    PairSelection s = PairSelection.of(4, List.of(0, 1, 2, 3), List.of(0, 1, 2, 3));
    assertEquals(12, s.directions().size());
    assertEquals(6, s.pairs().size());
    for (Direction d : s.directions()) {
      int[] p = s.pairs().get(d.pair());
      assertEquals(d.sourceFirst() ? d.source() : d.target(), p[0]);
      assertEquals(d.sourceFirst() ? d.target() : d.source(), p[1]);
    }
  }

  @Test
  void restrictedSourcesFitOnlyTheJointsTheyNeed() {
    // Two candidates (3, 1) against a reference set {0, 1, 2}.
    PairSelection s = PairSelection.of(4, List.of(3, 1), List.of(0, 1, 2));
    assertEquals(5, s.directions().size());
    assertEquals(5, s.pairs().size());
    assertArrayEquals(new boolean[] {true, true, true, false}, s.targets());
    assertEquals(new Direction(3, 0, 0, false), s.directions().get(0));
  }
}
