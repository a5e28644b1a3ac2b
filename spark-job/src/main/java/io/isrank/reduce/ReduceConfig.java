package io.isrank.reduce;

/**
 * Per-model reduction. {@code dims} = {@link #AUTO}: each model keeps the directions that carry
 * information, up to {@code maxDims} and what {@code selectionRows} support; otherwise exactly
 * the {@code dims} directions of largest variance.
 */
public record ReduceConfig(int dims, int maxDims, int selectionRows, int rowsPerDim, double minVarianceRatio,
    boolean gaussianise) {
  /** reduce.dims = auto. */
  public static final int AUTO = 0;

  public boolean auto() {
    return dims == AUTO;
  }
}
