package io.isrank.split;

/** Fit/evaluation split sizes and the partitioning of the passes. */
public record SplitConfig(int fitRows, long evalRows, int minEvalRows, int rowsPerPartition) {}
