package io.isrank.report;

import io.isrank.error.EstimationException;
import io.isrank.runtime.SafeText;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Writes a list of table records (one record type per table) as Parquet and as one CSV file.
 * Column names are the record components in snake_case; the schema follows the component types.
 * Every double is checked: no NaN or Infinity ever reaches an output table. Text cells of the CSV
 * that a spreadsheet would run as a formula are neutralised ({@link SafeText#csvCell}); the
 * Parquet table keeps the text as it is.
 */
public final class Tables {
  private Tables() {}

  /** snake_case column name of a record component: normalisedSufficiency → normalised_sufficiency. */
  public static String column(String component) {
    return component.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
  }

  public static StructType schema(Class<? extends Record> type) {
    List<StructField> fields = new ArrayList<>();
    for (RecordComponent c : type.getRecordComponents()) {
      Class<?> t = c.getType();
      DataType dt = t == String.class ? DataTypes.StringType
          : t == double.class || t == Double.class ? DataTypes.DoubleType
          : t == int.class || t == Integer.class ? DataTypes.IntegerType
          : t == long.class || t == Long.class ? DataTypes.LongType
          : t == boolean.class || t == Boolean.class ? DataTypes.BooleanType : null;
      if (dt == null) {
        throw new IllegalArgumentException("no column type for " + t);
      }
      fields.add(DataTypes.createStructField(column(c.getName()), dt, !t.isPrimitive()));
    }
    return DataTypes.createStructType(fields);
  }

  /** The record's values in component order, each double checked finite. */
  public static Object[] values(Record r, String table) {
    RecordComponent[] cs = r.getClass().getRecordComponents();
    Object[] out = new Object[cs.length];
    for (int i = 0; i < cs.length; i++) {
      try {
        out[i] = cs[i].getAccessor().invoke(r);
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException(e);
      }
      if (out[i] instanceof Double d && !Double.isFinite(d)) {
        throw new EstimationException("table '" + table + "' would get " + d + " in column '"
            + column(cs[i].getName()) + "' (row " + r + "); refusing to write a non-finite number");
      }
    }
    return out;
  }

  /** The records as a one-partition DataFrame with the table's schema. */
  public static <T extends Record> Dataset<Row> dataFrame(SparkSession spark, String name, Class<T> type,
      List<T> rows) {
    List<Row> sparkRows = new ArrayList<>();
    for (T r : rows) {
      sparkRows.add(RowFactory.create(values(r, name)));
    }
    return spark.createDataFrame(sparkRows, schema(type)).coalesce(1);
  }

  /** Name of the run id column that leads every output table. */
  public static final String RUN_ID = "run_id";

  /** The table with the run's id as its first column, {@code run_id}. */
  public static Dataset<Row> withRunId(Dataset<Row> df, String runId) {
    List<org.apache.spark.sql.Column> columns = new ArrayList<>();
    columns.add(org.apache.spark.sql.functions.lit(runId).as(RUN_ID));
    for (String c : df.columns()) {
      columns.add(df.col(c));
    }
    return df.select(columns.toArray(new org.apache.spark.sql.Column[0]));
  }

  /**
   * Writes {@code dir/<name>} (Parquet, one file) and {@code dir/<name>.csv}, each row led by the
   * run's id ({@code run_id}, as in run.json and the history tables), so rows copied out of a
   * table still say which run they came from.
   */
  public static <T extends Record> void write(SparkSession spark, FileSystem fs, Path dir, String name,
      Class<T> type, List<T> rows, String runId) throws IOException {
    withRunId(dataFrame(spark, name, type, rows), runId).write().mode(SaveMode.ErrorIfExists)
        .parquet(new Path(dir, name).toString());
    StructType schema = schema(type);
    List<String> header = new ArrayList<>();
    header.add(RUN_ID);
    header.addAll(List.of(schema.fieldNames()));
    try (Writer w = new OutputStreamWriter(fs.create(new Path(dir, name + ".csv"), false), StandardCharsets.UTF_8);
         CSVPrinter csv = new CSVPrinter(w, CSVFormat.DEFAULT.builder().setHeader(header.toArray(new String[0]))
             .build())) {
      for (T r : rows) {
        Object[] v = values(r, name);
        Object[] line = new Object[v.length + 1];
        line[0] = runId;
        for (int i = 0; i < v.length; i++) {
          if (v[i] instanceof Double d) {
            line[i + 1] = Double.toString(d);
          } else if (v[i] instanceof String text) {
            line[i + 1] = SafeText.csvCell(text); // names from the data never reach a spreadsheet as formulas
          } else {
            line[i + 1] = v[i];
          }
        }
        csv.printRecord(line);
      }
    }
  }
}
