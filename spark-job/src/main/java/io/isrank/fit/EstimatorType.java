package io.isrank.fit;

import java.util.Locale;

/** The two estimators. */
public enum EstimatorType {
  /** One Gaussian per density (k = 1), fitted in one distributed pass. */
  GAUSSIAN,
  /** A Gaussian mixture per density (mixture.*: the task engine or MLlib's GaussianMixture). */
  MIXTURE;

  public String key() {
    return name().toLowerCase(Locale.ROOT);
  }
}
