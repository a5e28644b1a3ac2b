package io.isrank.rank;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Orders models by informativeness, most informative first.
 *
 * <p>The median over targets ties by construction (an even number of targets averages the two
 * middle values; nested models of equal dimension tie exactly). Ties are shown, never hidden:
 * models are ordered by informativeness, then by the mean over targets (the documented secondary
 * key); models equal on both share a rank (competition ranking: 1, 2, 2, 4), and every model whose
 * informativeness equals another's is flagged {@code medianTied}. Names order equal rows only
 * for a stable listing.
 */
public final class Ranking {
  private Ranking() {}

  /**
   * @param rank       1-based competition rank
   * @param medianTied true when another model has exactly the same informativeness, so the rank
   *                   was decided by the mean (or is shared)
   */
  public record RankedModel(int rank, ModelScore score, boolean medianTied) {}

  public static List<RankedModel> rank(List<ModelScore> scores) {
    List<ModelScore> sorted = new ArrayList<>(scores);
    sorted.sort(Comparator.comparingDouble(ModelScore::informativeness).reversed()
        .thenComparing(Comparator.comparingDouble(ModelScore::mean).reversed())
        .thenComparing(ModelScore::model));
    List<RankedModel> ranked = new ArrayList<>(sorted.size());
    for (int i = 0; i < sorted.size(); i++) {
      ModelScore s = sorted.get(i);
      int rank = i + 1;
      if (i > 0) {
        ModelScore prev = sorted.get(i - 1);
        if (prev.informativeness() == s.informativeness() && prev.mean() == s.mean()) {
          rank = ranked.get(i - 1).rank();
        }
      }
      boolean tied = false;
      for (ModelScore other : sorted) {
        if (other != s && other.informativeness() == s.informativeness()) {
          tied = true;
          break;
        }
      }
      ranked.add(new RankedModel(rank, s, tied));
    }
    return ranked;
  }
}
