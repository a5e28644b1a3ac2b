package io.isrank.estimate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PointwiseExtremesTest {
  @Test
  void keepsTheKLowestAndHighestWhateverTheSplitAndOrder() {
    SplittableRandom r = new SplittableRandom(1);
    List<PointwiseExtremes.Item> items = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      items.add(new PointwiseExtremes.Item("id" + i, Math.round(r.nextGaussian() * 20) / 10.0)); // many ties
    }
    List<PointwiseExtremes.Item> sorted = new ArrayList<>(items);
    sorted.sort((a, b) -> a.sufficiency() != b.sufficiency() ? Double.compare(a.sufficiency(), b.sufficiency())
        : a.id().compareTo(b.id()));
    List<PointwiseExtremes.Item> wantLow = sorted.subList(0, 7);
    List<PointwiseExtremes.Item> highSorted = new ArrayList<>(items);
    highSorted.sort((a, b) -> a.sufficiency() != b.sufficiency() ? Double.compare(b.sufficiency(), a.sufficiency())
        : a.id().compareTo(b.id()));
    List<PointwiseExtremes.Item> wantHigh = highSorted.subList(0, 7);

    for (int split : new int[] {1, 3, 11}) {
      Collections.shuffle(items, new java.util.Random(split));
      PointwiseExtremes total = new PointwiseExtremes(2, 7);
      for (int part = 0; part < split; part++) {
        PointwiseExtremes p = new PointwiseExtremes(2, 7);
        for (int i = part; i < items.size(); i += split) {
          p.offer(1, items.get(i).id(), items.get(i).sufficiency());
        }
        total.merge(p);
      }
      assertEquals(wantLow, total.worst(1), "split " + split);
      assertEquals(wantHigh, total.best(1), "split " + split);
      assertEquals(List.of(), total.worst(0));
    }
  }

  @Test
  void nonFiniteValuesNeverEnter() {
    PointwiseExtremes e = new PointwiseExtremes(1, 2);
    e.offer(0, "a", Double.NaN);
    e.offer(0, "b", Double.NEGATIVE_INFINITY);
    e.offer(0, "c", 1.0);
    assertEquals(List.of(new PointwiseExtremes.Item("c", 1.0)), e.worst(0));
  }
}
