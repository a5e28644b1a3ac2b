package io.isrank.report;

/**
 * One row of the {@code pairs} table: direction source→target. Entropies are in nats, in the
 * whitened coordinates. Interval ends are null when no bootstrap was run.
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
    long rowsFit,
    long rowsEval,
    int sourceDim,
    int targetDim,
    int sourceReducedDim,
    int targetReducedDim,
    int components,
    int iterations,
    double logLikelihood,
    boolean converged) {}
