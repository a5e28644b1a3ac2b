package io.isrank.fit;

/** How mixtures are fitted. */
public enum MixtureEngine {
  /** One Spark task per density, EM in memory (isrank's engine). */
  TASK,
  /** MLlib's GaussianMixture, one Spark job per EM iteration. */
  MLLIB
}
