package io.isrank.load;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.isrank.error.InputException;
import io.isrank.load.InputSpec;
import io.isrank.runtime.HadoopPaths;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Reads the input contract (DESIGN §4) into one normalised table with columns {@code model}
 * (string), {@code id} (the input's id type), {@code embedding} (array&lt;double&gt;), whatever the
 * layout and the embedding's type, after checking every model's schema up front.
 *
 * <p>Two layouts, one code path: a long table with a model column, or a Hive-partitioned folder
 * {@code model=<name>/}. The partitioned layout is read one model folder at a time, so each
 * model's schema is checked on its own (Spark would otherwise take one file's schema for all and
 * read a model whose files lack the embedding column as nulls, or fail late on a type clash).
 */
public final class EmbeddingSource {
  /** Normalised column names. */
  public static final String MODEL = "model";
  public static final String ID = "id";
  public static final String EMBEDDING = "embedding";
  /** Name of the item key column added by {@link #itemKey(long)}. */
  public static final String KEY = "h";

  /**
   * An item's key h = xxhash64(seed, id): what validation aligns the models by, the split cuts at
   * and every canonical layout places items by. It depends on the id and the seed only.
   */
  public static Column itemKey(long seed) {
    return org.apache.spark.sql.functions.xxhash64(lit(seed), col(ID));
  }

  private EmbeddingSource() {}

  /**
   * The loaded table and what was found on the way.
   *
   * @param models the models of a partitioned layout; empty for the long layout, whose models the
   *     validation pass finds
   * @param filesByModel each model's files, when every row of them is read (a partitioned layout
   *     without input.filter); else empty
   * @param modelColumn the files' model column, when every row of them is read in the long layout
   *     (its rows per model can be estimated from the files' footers); else null
   * @param selected    input.models (empty: every model)
   */
  public record Loaded(Dataset<Row> rows, List<String> models, String layout, Map<String, String> embeddingTypes,
      List<InputFile> files, Map<String, String> idTypes, Map<String, List<String>> filesByModel,
      String modelColumn, List<String> selected) {

    /**
     * Rows per model from the Parquet footers when the layout tells each file's model; else (or if
     * a footer cannot be read) from a Spark job that counts them.
     */
    public Map<String, Long> rowsPerModel() {
      org.apache.hadoop.conf.Configuration conf = rows.sparkSession().sparkContext().hadoopConfiguration();
      Optional<Map<String, Long>> fromFooters = !filesByModel.isEmpty() ? ParquetFooters.rowCounts(filesByModel, conf)
          : modelColumn != null ? ParquetFooters.modelRows(files.stream().map(InputFile::path).toList(), modelColumn,
              conf).map(m -> {
                if (!selected.isEmpty()) {
                  m.keySet().retainAll(selected); // input.models: the run's models only
                }
                return m;
              }) : Optional.empty();
      return fromFooters.orElseGet(() -> {
        Map<String, Long> perModel = new LinkedHashMap<>();
        for (Row r : rows.groupBy(col(MODEL)).count().collectAsList()) {
          if (!r.isNullAt(0)) {
            perModel.put(r.getString(0), r.getLong(1));
          }
        }
        return perModel;
      });
    }

    /**
     * A warning when the models' id columns have different types (integers in one, strings in
     * another): Spark then compares every id as a string, which is right when the values match
     * (12 and "12") and silently unmatched otherwise ("012").
     */
    public java.util.Optional<String> idTypeWarning() {
      java.util.Set<String> kinds = new java.util.TreeSet<>(idTypes.values());
      if (kinds.size() < 2) {
        return java.util.Optional.empty();
      }
      Map<String, List<String>> byType = new TreeMap<>();
      idTypes.forEach((model, type) -> byType.computeIfAbsent(type, k -> new ArrayList<>()).add(model));
      List<String> parts = new ArrayList<>();
      byType.forEach((type, models) -> parts.add(type + " in " + models.stream().map(m -> "'" + m + "'")
          .collect(java.util.stream.Collectors.joining(", "))));
      return java.util.Optional.of("the id column has different types across models (" + String.join("; ", parts)
          + "): every id is compared as a string, so 12 matches \"12\" but not \"012\"; check that the ids "
          + "are written alike in every model");
    }
  }

  /**
   * Whether the rows' embeddings are array&lt;float&gt; (every model's were; a mix is widened to
   * double when the models' tables are combined).
   */
  public static boolean floats(Dataset<Row> rows) {
    return floats(rows.schema());
  }

  /** As {@link #floats(Dataset)}, for a schema with the embedding column. */
  public static boolean floats(org.apache.spark.sql.types.StructType schema) {
    return ((org.apache.spark.sql.types.ArrayType) schema.apply(EMBEDDING).dataType()).elementType()
        .equals(DataTypes.FloatType);
  }

  /** An embedding of Spark's internal rows as doubles ({@code floats}: the array holds floats). */
  public static double[] vector(org.apache.spark.sql.catalyst.util.ArrayData a, boolean floats) {
    if (!floats) {
      return a.toDoubleArray();
    }
    float[] f = a.toFloatArray(); // one bulk copy out of Spark's array (the per-element reads cost more)
    double[] x = new double[f.length];
    for (int i = 0; i < f.length; i++) {
      x[i] = f[i];
    }
    return x;
  }

  /** One input file, for the run's fingerprint: path, size, modification time. */
  public record InputFile(String path, long bytes, long modified) {}

  public static Loaded load(SparkSession spark, InputSpec spec) {
    if (spec.isTable()) {
      return table(spark, spec);
    }
    // Partition values such as 007 or 2.0 must stay model names, not become numbers.
    spark.conf().set("spark.sql.sources.partitionColumnTypeInference.enabled", "false");
    Path root = new Path(spec.path());
    FileSystem fs;
    FileStatus status;
    try {
      fs = HadoopPaths.fileSystem("input path", root, spark.sparkContext().hadoopConfiguration());
      status = fs.getFileStatus(root);
    } catch (FileNotFoundException e) {
      throw new InputException("input path '" + spec.path() + "' does not exist");
    } catch (IOException e) {
      throw new InputException("input path '" + spec.path() + "' cannot be read: " + e.getMessage(), e);
    }
    List<InputFile> files = listFiles(fs, status);
    if (files.isEmpty()) {
      throw new InputException("input path '" + spec.path() + "' holds no Parquet files");
    }
    Map<String, Path> partitions = status.isDirectory() ? modelPartitions(fs, root, spec.modelColumn()) : Map.of();
    Map<String, String> types = new LinkedHashMap<>();
    Map<String, String> idTypes = new LinkedHashMap<>();
    Dataset<Row> rows;
    String layout;
    if (!partitions.isEmpty()) {
      layout = "partitioned";
      List<Dataset<Row>> parts = new ArrayList<>();
      for (Map.Entry<String, Path> e : partitions.entrySet()) {
        if (!spec.models().isEmpty() && !spec.models().contains(e.getKey())) {
          continue;
        }
        // The schema comes from one file's footer, read by the driver (Spark's default): merging
        // every file's schema costs a Spark job per model, seconds on a small input.
        Dataset<Row> df = filtered(spark.read().parquet(e.getValue().toString()), spec, "model '" + e.getKey() + "'");
        parts.add(normalise(df, spec, e.getKey(), lit(e.getKey()), types, idTypes));
      }
      if (parts.isEmpty()) {
        throw new InputException("none of the models " + spec.models() + " (input.models) is in '" + spec.path()
            + "'; found " + partitions.keySet());
      }
      rows = parts.get(0);
      for (int i = 1; i < parts.size(); i++) {
        rows = rows.unionByName(parts.get(i));
      }
    } else {
      layout = "long";
      Dataset<Row> df = filtered(spark.read().parquet(spec.path()), spec, "input '" + spec.path() + "'");
      if (!Arrays.asList(df.columns()).contains(spec.modelColumn())) {
        throw new InputException("input '" + spec.path() + "' has no model column '" + spec.modelColumn()
            + "' and no " + spec.modelColumn() + "=<name>/ folders; columns are " + Arrays.toString(df.columns())
            + " (set input.model-column)");
      }
      rows = normalise(df, spec, null, col(spec.modelColumn()).cast(DataTypes.StringType), types, idTypes);
      if (!spec.models().isEmpty()) {
        rows = rows.filter(col(MODEL).isin(spec.models().toArray()));
      }
    }
    // The long layout's models are found by the validation pass, which scans the data anyway.
    List<String> models = partitions.keySet().stream()
        .filter(m -> spec.models().isEmpty() || spec.models().contains(m)).toList();
    if (!partitions.isEmpty()) {
      List<String> missing = spec.models().stream().filter(m -> !partitions.containsKey(m)).toList();
      if (!missing.isEmpty()) {
        throw new InputException("models " + missing + " named in input.models are not in '" + spec.path()
            + "'; found " + partitions.keySet());
      }
    }
    // Each model's files, for row counts from their footers: only when every row of them is read.
    Map<String, List<String>> filesByModel = new LinkedHashMap<>();
    if (spec.filter().isBlank()) {
      for (String model : models) {
        String prefix = partitions.get(model).toString() + "/";
        filesByModel.put(model, files.stream().map(InputFile::path).filter(f -> f.startsWith(prefix)).toList());
      }
    }
    String modelColumn = layout.equals("long") && spec.filter().isBlank() ? spec.modelColumn() : null;
    return new Loaded(rows, List.copyOf(models), layout, types, files, idTypes, filesByModel, modelColumn,
        spec.models());
  }

  /**
   * Rows already in a DataFrame, in the long layout (a model column beside id and embedding):
   * checked and mapped like a long-layout input read from files.
   *
   * @throws InputException naming the missing column or a model of input.models not found later
   */
  public static Loaded of(Dataset<Row> df, InputSpec spec) {
    return ofRows(filtered(df, spec, "the DataFrame"), spec, "dataframe", "the DataFrame", List.of());
  }

  /**
   * A table of the session's catalog ({@code table:db.name}), filtered by input.filter: its
   * columns as in the long layout, a model partition column included. The files Spark will read
   * stand for the input in the fingerprint.
   */
  private static Loaded table(SparkSession spark, InputSpec spec) {
    String name = spec.table();
    Dataset<Row> df;
    try {
      df = spark.table(name);
    } catch (Exception e) { // AnalysisException: TABLE_OR_VIEW_NOT_FOUND, SCHEMA_NOT_FOUND
      throw new InputException("input table '" + name + "' cannot be read from the " + catalog(spark) + " catalog: "
          + firstLine(e.getMessage()) + (catalog(spark).equals("in-memory") ? " (for a Hive metastore table run "
          + "with spark.sql.catalogImplementation=hive)" : ""), e);
    }
    String where = "input table '" + name + "'";
    Dataset<Row> rows = filtered(df, spec, where);
    List<InputFile> files = new ArrayList<>();
    for (String f : rows.inputFiles()) {
      files.add(new InputFile(f, -1, -1));
    }
    files.sort(java.util.Comparator.comparing(InputFile::path));
    if (files.isEmpty()) {
      throw new InputException(where + (spec.filter().isEmpty() ? "" : " with input.filter '" + spec.filter() + "'")
          + " has no data files");
    }
    return ofRows(rows, spec, "table", where, files);
  }

  private static String catalog(SparkSession spark) {
    return spark.conf().get("spark.sql.catalogImplementation", "in-memory");
  }

  private static String firstLine(String message) {
    String m = String.valueOf(message);
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }

  /** Applies input.filter (a SQL condition) to the rows as read, before their columns are mapped. */
  private static Dataset<Row> filtered(Dataset<Row> df, InputSpec spec, String where) {
    if (spec.filter().isEmpty()) {
      return df;
    }
    try {
      return df.filter(org.apache.spark.sql.functions.expr(spec.filter()));
    } catch (Exception e) { // ParseException, AnalysisException (unknown column), thrown undeclared
      throw new InputException("input.filter '" + spec.filter() + "' cannot be applied to " + where + ": "
          + firstLine(e.getMessage()) + "; its columns are " + Arrays.toString(df.columns()), e);
    }
  }

  private static Loaded ofRows(Dataset<Row> df, InputSpec spec, String layout, String where, List<InputFile> files) {
    if (!Arrays.asList(df.columns()).contains(spec.modelColumn())) {
      throw new InputException(where + " has no model column '" + spec.modelColumn() + "'; columns are "
          + Arrays.toString(df.columns()) + " (set input.model-column)");
    }
    Map<String, String> types = new LinkedHashMap<>();
    Map<String, String> idTypes = new LinkedHashMap<>();
    Dataset<Row> rows = normalise(df, spec, null, col(spec.modelColumn()).cast(DataTypes.StringType), types, idTypes);
    if (!spec.models().isEmpty()) {
      rows = rows.filter(col(MODEL).isin(spec.models().toArray()));
    }
    return new Loaded(rows, List.of(), layout, types, files, idTypes, Map.of(), null, spec.models());
  }

  /**
   * Checks one table's columns and types and maps it to (model, id, embedding array&lt;double&gt;).
   *
   * @param model the model this table holds, or null for the long layout (named in errors)
   */
  private static Dataset<Row> normalise(Dataset<Row> df, InputSpec spec, String model, Column modelValue,
      Map<String, String> types, Map<String, String> idTypes) {
    StructType schema = df.schema();
    String where = model == null ? "input '" + spec.path() + "'" : "model '" + model + "'";
    StructField id = field(schema, spec.idColumn(), where, "input.id-column");
    DataType idType = id.dataType();
    if (!(idType.equals(DataTypes.LongType) || idType.equals(DataTypes.IntegerType)
        || idType.equals(DataTypes.StringType) || idType.equals(DataTypes.ShortType))) {
      throw new InputException(where + ": column '" + spec.idColumn() + "' has type " + idType.simpleString()
          + "; ids must be integers or strings");
    }
    StructField emb = field(schema, spec.embeddingColumn(), where, "input.embedding-column");
    Column embedding = asDoubleArray(emb, where);
    types.put(model == null ? "*" : model, emb.dataType().simpleString());
    Column idValue = idType.equals(DataTypes.StringType) ? col(spec.idColumn()) : col(spec.idColumn()).cast("long");
    idTypes.put(model == null ? "*" : model, idType.equals(DataTypes.StringType) ? "string ids" : "integer ids");
    return df.select(modelValue.as(MODEL), idValue.as(ID), embedding.as(EMBEDDING));
  }

  private static StructField field(StructType schema, String name, String where, String key) {
    for (StructField f : schema.fields()) {
      if (f.name().equals(name)) {
        return f;
      }
    }
    throw new InputException(where + " has no column '" + name + "'; columns are "
        + Arrays.toString(schema.fieldNames()) + " (set " + key + ")");
  }

  private static Column asDoubleArray(StructField f, String where) {
    DataType t = f.dataType();
    if (t instanceof ArrayType a) {
      DataType e = a.elementType();
      if (e.equals(DataTypes.DoubleType)) {
        return col(f.name());
      }
      if (e.equals(DataTypes.FloatType)) {
        // Kept as floats: Spark's array cast boxes every element, which cost more than reading
        // them; the passes over the rows widen each value as they read it (vector).
        return col(f.name());
      }
    } else if (t.typeName().equals("vector") || t.getClass().getName().endsWith("VectorUDT")) {
      return org.apache.spark.ml.functions.vector_to_array(col(f.name()), "float64");
    }
    throw new InputException(where + ": column '" + f.name() + "' has type " + t.simpleString()
        + "; expected array<float>, array<double> or an MLlib vector");
  }

  /** model=<name>/ folders directly under root, by name. */
  private static Map<String, Path> modelPartitions(FileSystem fs, Path root, String modelColumn) {
    Map<String, Path> found = new TreeMap<>();
    try {
      for (FileStatus s : fs.listStatus(root)) {
        String name = s.getPath().getName();
        if (s.isDirectory() && name.startsWith(modelColumn + "=")) {
          found.put(unescape(name.substring(modelColumn.length() + 1)), s.getPath());
        }
      }
    } catch (IOException e) {
      throw new InputException("cannot list '" + root + "': " + e.getMessage(), e);
    }
    return found;
  }

  /** Hive escapes special characters in partition values as %XX. */
  private static String unescape(String value) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '%' && i + 2 < value.length()) {
        try {
          out.append((char) Integer.parseInt(value.substring(i + 1, i + 3), 16));
          i += 2;
          continue;
        } catch (NumberFormatException ignored) {
          // not an escape: keep the '%'
        }
      }
      out.append(c);
    }
    return out.toString();
  }

  private static List<InputFile> listFiles(FileSystem fs, FileStatus status) {
    List<InputFile> out = new ArrayList<>();
    try {
      var it = fs.listFiles(status.getPath(), true);
      while (it.hasNext()) {
        var f = it.next();
        String name = f.getPath().getName();
        if (!name.startsWith("_") && !name.startsWith(".")) {
          out.add(new InputFile(f.getPath().toString(), f.getLen(), f.getModificationTime()));
        }
      }
    } catch (IOException e) {
      throw new InputException("cannot list '" + status.getPath() + "': " + e.getMessage(), e);
    }
    out.sort(java.util.Comparator.comparing(InputFile::path));
    return out;
  }
}
