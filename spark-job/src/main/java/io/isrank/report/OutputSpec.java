package io.isrank.report;

/**
 * Where the run's outputs go; {@code history} is empty when off; {@code pointwiseTopK} items per
 * direction and end in the pointwise table (0 = no table).
 */
public record OutputSpec(String path, boolean overwrite, String history, int pointwiseTopK, String compareWith) {}
