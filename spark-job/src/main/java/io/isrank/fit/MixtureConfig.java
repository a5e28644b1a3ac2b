package io.isrank.fit;

/**
 * Mixture settings (estimator.type = mixture); {@code tolerance} is per fit row, in nats.
 */
public record MixtureConfig(MixtureEngine engine, int kMarginal, int kJoint, int maxIterations, double tolerance,
    int restarts, boolean chooseComponents, int parallelism) {}
