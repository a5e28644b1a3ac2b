package io.isrank.align;

/** Reads the whitened vectors of the aligned table's internal rows (columns h, id, z0 … z(M−1)). */
public final class AlignedRows {
  /** Index of the first vector column. */
  public static final int FIRST_VECTOR = 2;

  private AlignedRows() {}

  /** Column name of model m's whitened vector. */
  public static String column(int model) {
    return "z" + model;
  }

  /** Copies model m's vector of an internal row into {@code into} from {@code offset}. */
  public static void copyVector(org.apache.spark.sql.catalyst.InternalRow row, int model, double[] into, int offset) {
    org.apache.spark.sql.catalyst.util.ArrayData a = row.getArray(FIRST_VECTOR + model);
    int n = a.numElements();
    for (int i = 0; i < n; i++) {
      into[offset + i] = a.getDouble(i);
    }
  }
}
