package io.isrank.report;

/**
 * One row of the {@code ranking} table. {@code entropy} is null for a model that is no target.
 */
public record RankingRow(
    int rank,
    String model,
    double informativeness,
    Double lower,
    Double upper,
    double meanNormalisedSufficiency,
    boolean medianTied,
    int targets,
    int dim,
    int reducedDim,
    double explainedVariance,
    Double entropy) {}
