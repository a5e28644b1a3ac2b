package io.isrank.rank;

import io.isrank.error.EstimationException;
import java.util.Locale;

/**
 * What IS(U→V) is divided by before the median over targets V. The paper's runs divide by the
 * target's original embedding dimension ({@link #DIM}), so that a target that is large merely
 * because it has many coordinates does not dominate; that is the default.
 */
public enum Normalisation {
  /** IS(U→V) as it is, nats. */
  NONE,
  /** IS(U→V) / dim(V), the target's original embedding dimension (the paper's choice). */
  DIM,
  /** IS(U→V) / p(V), the target's dimension after reduction. */
  REDUCED_DIM,
  /** IS(U→V) / h(V), the target's estimated entropy in whitened coordinates; needs h(V) > 0. */
  ENTROPY;

  /** The divisor for a target with these properties. */
  public double divisor(String target, int originalDim, int reducedDim, double entropy) {
    return switch (this) {
      case NONE -> 1.0;
      case DIM -> originalDim;
      case REDUCED_DIM -> reducedDim;
      case ENTROPY -> {
        if (!(entropy > 0)) {
          throw new EstimationException("normalisation 'entropy' needs h(V) > 0 but model '" + target
              + "' has h = " + entropy + " nats; use rank.normalisation = dim");
        }
        yield entropy;
      }
    };
  }

  /** The configuration spelling: none, dim, reduced-dim, entropy. */
  public String key() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** Parses the configuration spelling. */
  public static Normalisation fromKey(String key) {
    for (Normalisation n : values()) {
      if (n.key().equals(key)) {
        return n;
      }
    }
    throw new IllegalArgumentException("unknown normalisation '" + key + "'");
  }
}
