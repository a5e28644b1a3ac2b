package io.isrank.validate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The radix sort of the alignment records against a comparison sort. */
class RecordSortTest {

  @Test
  void sortsByKeyThenIdHashThenModelLikeAComparisonSort() {
    Random random = new Random(9);
    for (int n : new int[] {0, 1, 2, 17, 5000}) {
      long[] rec = new long[4 * n];
      for (int i = 0; i < n; i++) {
        // few distinct keys and id hashes, negative and positive, so that every tie-break is used
        // keys that differ only in their low bits too (the packed sort keeps the top 43 bits)
        rec[4 * i] = switch (random.nextInt(4)) {
          case 0 -> random.nextLong();
          case 1 -> (random.nextLong() & ~0xFFFL) | random.nextInt(3);
          default -> random.nextInt(50) - 25;
        };
        rec[4 * i + 1] = random.nextInt(4) - 2;
        rec[4 * i + 2] = random.nextLong();
        rec[4 * i + 3] = random.nextInt(5);
      }
      Integer[] expected = new Integer[n];
      Arrays.setAll(expected, i -> i);
      Arrays.sort(expected, Comparator.<Integer>comparingLong(i -> rec[4 * i]).thenComparingLong(i -> rec[4 * i + 1])
          .thenComparingLong(i -> rec[4 * i + 3]));
      // both sorts: the packed one (used up to 2^21 records) and the radix one (beyond)
      for (int[] got : new int[][] {RecordSort.byKeys(rec, n), RecordSort.radix(rec, n)}) {
        for (int i = 0; i < n; i++) {
          for (int f : new int[] {0, 1, 3}) {
            assertEquals(rec[4 * expected[i] + f], rec[4 * got[i] + f], "n = " + n + ", position " + i + ", field " + f);
          }
        }
      }
    }
  }
}
