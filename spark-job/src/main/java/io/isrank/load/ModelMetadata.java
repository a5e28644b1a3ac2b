package io.isrank.load;

import io.isrank.error.InputException;
import io.isrank.load.InputSpec;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Optional per-model metadata for the cost-aware ranking: parameter count, inference cost,
 * weights size and memory footprint. Read from a small CSV (by name: *.csv), JSON-lines (*.json,
 * *.jsonl) or Parquet table keyed by {@code model}; values that are absent stay absent (null),
 * never guessed.
 *
 * @param source the table read, or null when there is none
 * @param byModel the entries of the run's models that the table lists
 */
public record ModelMetadata(String source, Map<String, Entry> byModel) {

  /** The numeric columns understood, with their meaning. */
  public static final List<String> COLUMNS = List.of("parameters", "ms_per_item", "model_bytes", "memory_bytes");

  /** One model's costs; null = not given. */
  public record Entry(Double parameters, Double msPerItem, Double modelBytes, Double memoryBytes) {}

  /** No metadata: every cost missing. */
  public static ModelMetadata none() {
    return new ModelMetadata(null, Map.of());
  }

  /** The entry of a model (all missing when the table does not list it). */
  public Entry of(String model) {
    Entry e = byModel.get(model);
    return e != null ? e : new Entry(null, null, null, null);
  }

  /**
   * Reads the metadata named by {@code input.metadata}: "" means {@code <input>/_models.csv} when
   * that exists, "none" means no metadata.
   *
   * @param warnings receives a note for listed models that are not in the run
   */
  public static ModelMetadata load(SparkSession spark, InputSpec input, List<String> models, List<String> warnings) {
    String path = input.metadata();
    if (path.equalsIgnoreCase("none")) {
      return none();
    }
    try {
      if (path.isEmpty() && input.isTable()) {
        return none(); // a catalog table has no folder to look for _models.csv in
      }
      if (path.isEmpty()) {
        Path auto = new Path(input.path(), "_models.csv");
        FileSystem fs = auto.getFileSystem(spark.sparkContext().hadoopConfiguration());
        if (!fs.exists(auto)) {
          return none();
        }
        path = auto.toString();
      } else {
        Path p = new Path(path);
        if (!p.getFileSystem(spark.sparkContext().hadoopConfiguration()).exists(p)) {
          throw new InputException("input.metadata '" + path + "' does not exist");
        }
      }
    } catch (IOException e) {
      throw new InputException("input.metadata '" + path + "' cannot be read: " + e.getMessage(), e);
    }
    List<Map<String, Object>> records = read(spark, path);
    List<String> columns = records.isEmpty() ? List.of() : List.copyOf(records.get(0).keySet());
    if (!records.isEmpty() && !columns.contains("model")) {
      throw new InputException("metadata '" + path + "' has no 'model' column; columns are " + columns);
    }
    Map<String, Entry> out = new LinkedHashMap<>();
    List<String> unknown = new ArrayList<>();
    for (Map<String, Object> r : records) {
      Object name = r.get("model");
      if (name == null) {
        throw new InputException("metadata '" + path + "': a row has no model name");
      }
      String model = name.toString();
      Double[] v = new Double[COLUMNS.size()];
      for (int i = 0; i < v.length; i++) {
        String c = COLUMNS.get(i);
        v[i] = number(path, model, c, r.get(c));
      }
      if (!models.contains(model)) {
        unknown.add(model);
        continue;
      }
      if (out.put(model, new Entry(v[0], v[1], v[2], v[3])) != null) {
        throw new InputException("metadata '" + path + "' lists model '" + model + "' more than once");
      }
    }
    if (!unknown.isEmpty()) {
      warnings.add("metadata '" + path + "' lists models that are not in this run: " + unknown);
    }
    return new ModelMetadata(path, out);
  }

  /**
   * The table's rows as column → value. CSV is read directly (Spark's file sources skip names
   * starting with '_', such as the embed tool's _models.csv); JSON lines and Parquet through Spark.
   */
  private static List<Map<String, Object>> read(SparkSession spark, String path) {
    List<Map<String, Object>> out = new ArrayList<>();
    String lower = path.toLowerCase(Locale.ROOT);
    if (lower.endsWith(".csv")) {
      Path p = new Path(path);
      try (var in = p.getFileSystem(spark.sparkContext().hadoopConfiguration()).open(p);
          var reader = new java.io.InputStreamReader(in, java.nio.charset.StandardCharsets.UTF_8);
          var csv = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).setTrim(true).build()
              .parse(reader)) {
        List<String> header = csv.getHeaderNames();
        for (CSVRecord r : csv) {
          Map<String, Object> row = new LinkedHashMap<>();
          for (String h : header) {
            // a cell isrank's own CSV writers neutralised against formula injection reads back as written
            row.put(h, r.isSet(h) ? io.isrank.runtime.SafeText.fromCsvCell(r.get(h)) : null);
          }
          out.add(row);
        }
      } catch (IOException | IllegalArgumentException | java.io.UncheckedIOException e) {
        throw new InputException("metadata '" + path + "' is not a readable CSV file: " + e.getMessage(), e);
      }
      return out;
    }
    Dataset<Row> table = lower.endsWith(".json") || lower.endsWith(".jsonl") ? spark.read().json(path)
        : spark.read().parquet(path);
    String[] names = table.columns();
    for (Row r : table.collectAsList()) {
      Map<String, Object> row = new LinkedHashMap<>();
      for (int i = 0; i < names.length; i++) {
        row.put(names[i], r.get(i));
      }
      out.add(row);
    }
    return out;
  }

  private static Double number(String path, String model, String column, Object value) {
    if (value == null || value.toString().isBlank()) {
      return null;
    }
    double d;
    if (value instanceof Number n) {
      d = n.doubleValue();
    } else {
      try {
        d = Double.parseDouble(value.toString().trim());
      } catch (NumberFormatException e) {
        throw new InputException("metadata '" + path + "': model '" + model + "' has " + column + " = '" + value
            + "', which is not a number (leave it empty when unknown)");
      }
    }
    if (!Double.isFinite(d) || d < 0) {
      throw new InputException("metadata '" + path + "': model '" + model + "' has " + column + " = " + value
          + "; costs must be finite and not negative (leave it empty when unknown)");
    }
    return d;
  }
}
