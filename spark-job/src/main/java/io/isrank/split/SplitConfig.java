package io.isrank.split;

/** Fit/evaluation split sizes and the partitioning of the passes. */
public record SplitConfig(int fitRows, long evalRows, int minEvalRows, int rowsPerPartition) {
  /** Partitions a small pass is spread over at least, so that it uses a few cores. */
  static final int MIN_PARTITIONS = 4;
  /** Rows each of those partitions holds at least (fewer rows: fewer partitions). */
  static final int MIN_PARTITION_ROWS = 500;

  /**
   * Partitions of a pass over {@code rows} rows: one per rows-per-partition, but at least
   * {@link #MIN_PARTITIONS} once each would hold {@link #MIN_PARTITION_ROWS} (3,000 fit rows of 11
   * models × 384 dimensions are seconds of work: one task would leave the other cores idle). A
   * function of the row count and the setting only, never of the cluster, so results are the same
   * on any cluster.
   */
  public int partitions(long rows) {
    long byRows = (rows + rowsPerPartition - 1) / rowsPerPartition;
    long floor = Math.min(MIN_PARTITIONS, rows / MIN_PARTITION_ROWS);
    return (int) Math.max(1, Math.max(byRows, floor));
  }
}
