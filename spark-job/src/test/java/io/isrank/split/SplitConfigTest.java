package io.isrank.split;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SplitConfigTest {
  private static final SplitConfig DEFAULTS = new SplitConfig(0, 0, 50, 20_000);

  @Test
  void largePassesGetOnePartitionPerRowsPerPartition() {
    assertEquals(5, DEFAULTS.partitions(100_000));
    assertEquals(6, DEFAULTS.partitions(100_001));
    assertEquals(50, DEFAULTS.partitions(1_000_000));
  }

  @Test
  void smallPassesStillSpreadOverFourPartitionsOfAtLeast500Rows() {
    assertEquals(4, DEFAULTS.partitions(3_000)); // 11 × 6,000 items: 3,000 fit rows on four tasks, not one
    assertEquals(4, DEFAULTS.partitions(20_000));
    assertEquals(3, DEFAULTS.partitions(1_500));
    assertEquals(1, DEFAULTS.partitions(999));
    assertEquals(1, DEFAULTS.partitions(0));
  }

  @Test
  void aLowerRowsPerPartitionGivesMorePartitionsAboveTheFloor() {
    SplitConfig small = new SplitConfig(0, 0, 50, 1_000);
    assertEquals(4, small.partitions(3_000)); // 3 by rows, raised to the floor
    assertEquals(10, small.partitions(10_000));
  }
}
