package io.isrank.estimate;

import java.io.Serializable;

/**
 * An ordered pair U→V of models by index: {@code source} U simulates {@code target} V.
 *
 * @param source    index of U in the run's model list
 * @param target    index of V
 * @param pair      index of the unordered pair's joint density in the {@link ScoringPlan}
 * @param sourceFirst whether U is the first block of that joint
 */
public record Direction(int source, int target, int pair, boolean sourceFirst) implements Serializable {
  public Direction {
    if (source == target) {
      throw new IllegalArgumentException("a direction needs two different models, got " + source + " twice");
    }
  }
}
