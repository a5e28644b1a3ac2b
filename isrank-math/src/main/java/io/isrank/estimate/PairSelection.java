package io.isrank.estimate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which joint fits and which directions a run needs when sources and targets are restricted:
 * every direction source→target with source ≠ target, and one joint fit per unordered pair that
 * any of them needs (stored in canonical order, lower index first).
 *
 * @param pairs      unordered pairs {first, second} with first &lt; second
 * @param directions directions naming their pair's index
 * @param targets    whether each model is a target (its marginal is needed)
 */
public record PairSelection(List<int[]> pairs, List<Direction> directions, boolean[] targets) {

  /**
   * @param models  how many models
   * @param sources indices of source models (U)
   * @param targets indices of target models (V)
   */
  public static PairSelection of(int models, List<Integer> sources, List<Integer> targets) {
    Map<Long, Integer> pairIndex = new LinkedHashMap<>();
    List<int[]> pairs = new ArrayList<>();
    List<Direction> directions = new ArrayList<>();
    boolean[] isTarget = new boolean[models];
    for (int s : sources) {
      for (int t : targets) {
        if (s == t) {
          continue;
        }
        int first = Math.min(s, t);
        int second = Math.max(s, t);
        long key = (long) first * models + second;
        Integer index = pairIndex.get(key);
        if (index == null) {
          index = pairs.size();
          pairIndex.put(key, index);
          pairs.add(new int[] {first, second});
        }
        directions.add(new Direction(s, t, index, s == first));
        isTarget[t] = true;
      }
    }
    return new PairSelection(List.copyOf(pairs), List.copyOf(directions), isTarget);
  }
}
