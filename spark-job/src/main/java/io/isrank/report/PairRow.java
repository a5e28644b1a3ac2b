package io.isrank.report;

/**
 * One row of the {@code pairs} table: direction source→target. Entropies are in nats, in the
 * whitened coordinates. Interval ends are null when no bootstrap was run. {@code biasCorrection}
 * is the held-out bias added to the raw held-out mean (nats; 0 with estimator.bias-correction
 * off); {@code mayBeTruncated} says that a cap on the kept directions (reduce.max-dims, the fit
 * rows, or a fixed reduce.dims) cut directions that still carried shared information, so IS may
 * be low.
 */
public record PairRow(
    String source,
    String target,
    double sufficiency,
    double normalisedSufficiency,
    double standardError,
    Double lower,
    Double upper,
    double targetEntropy,
    double targetConditionalEntropy,
    double biasCorrection,
    long rowsFit,
    long rowsEval,
    int sourceDim,
    int targetDim,
    int sourceReducedDim,
    int targetReducedDim,
    boolean mayBeTruncated,
    int components,
    int iterations,
    double logLikelihood,
    boolean converged) {}
