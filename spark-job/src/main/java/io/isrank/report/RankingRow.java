package io.isrank.report;

/**
 * One row of the {@code ranking} table. {@code entropy} is null for a model that is no target.
 * Cost columns come from the model metadata and are null where it says nothing; the efficiency
 * columns are informativeness per unit of cost (see {@link io.isrank.rank.CostAware}) and the
 * pareto columns say whether the model is on the front of informativeness vs that cost.
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
    String reduction,
    Double entropy,
    Double parameters,
    Double msPerItem,
    Double modelBytes,
    Double memoryBytes,
    Double isPerDim,
    Double isPerMillionParameters,
    Double isPerMs,
    Double isPerModelMegabyte,
    Double isPerMemoryMegabyte,
    Boolean paretoDim,
    Boolean paretoParameters,
    Boolean paretoMs,
    Boolean paretoModelBytes,
    Boolean paretoMemoryBytes,
    int group,
    String strongestTarget,
    String weakestTarget,
    String bestSimulator,
    String explanation) {}
