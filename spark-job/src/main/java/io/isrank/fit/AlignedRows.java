package io.isrank.fit;

import java.util.List;
import org.apache.spark.sql.Row;

/** Reads the whitened vectors of the aligned table's rows (columns h, id, z0 … z(M−1)). */
public final class AlignedRows {
  /** Index of the first vector column. */
  public static final int FIRST_VECTOR = 2;

  private AlignedRows() {}

  /** Column name of model m's whitened vector. */
  public static String column(int model) {
    return "z" + model;
  }

  /** Model m's vector as a double[]. */
  public static double[] vector(Row row, int model) {
    List<Object> values = row.getList(FIRST_VECTOR + model);
    double[] z = new double[values.size()];
    for (int i = 0; i < z.length; i++) {
      z[i] = (Double) values.get(i);
    }
    return z;
  }

  /** Copies model m's vector into {@code into} from {@code offset}. */
  public static void copyVector(Row row, int model, double[] into, int offset) {
    List<Object> values = row.getList(FIRST_VECTOR + model);
    for (int i = 0; i < values.size(); i++) {
      into[offset + i] = (Double) values.get(i);
    }
  }

  /** Copies model m's vector of an internal row into {@code into} from {@code offset}. */
  public static void copyVector(org.apache.spark.sql.catalyst.InternalRow row, int model, double[] into, int offset) {
    org.apache.spark.sql.catalyst.util.ArrayData a = row.getArray(FIRST_VECTOR + model);
    int n = a.numElements();
    for (int i = 0; i < n; i++) {
      into[offset + i] = a.getDouble(i);
    }
  }

  /** All models' vectors. */
  public static double[][] vectors(Row row, int models) {
    double[][] z = new double[models][];
    for (int m = 0; m < models; m++) {
      z[m] = vector(row, m);
    }
    return z;
  }
}
