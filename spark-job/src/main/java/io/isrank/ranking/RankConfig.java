package io.isrank.ranking;

import io.isrank.rank.Normalisation;
import java.util.List;

/** Ranking: normalisation, which sources and targets, bootstrap. */
public record RankConfig(Normalisation normalisation, List<String> sources, List<String> targets, int bootstrap,
    double confidence) {
  public RankConfig {
    sources = List.copyOf(sources);
    targets = List.copyOf(targets);
  }
}
