package io.isrank.align;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.when;

import io.isrank.error.InputException;
import io.isrank.job.RunConfig.InputSpec;
import io.isrank.load.EmbeddingSource;
import io.isrank.load.EmbeddingSource.Loaded;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.storage.StorageLevel;

/**
 * Checks every row against the input contract and aligns items across models by id.
 *
 * <p>A row is invalid for the first of: null model, null id, null embedding, wrong dimension
 * (length other than the model's most common one), non-finite value (NaN, ±Infinity or a null
 * element). An id that a model lists more than once is a duplicate: identical copies collapse into
 * one (counted), copies with different embeddings conflict. By default any invalid row or
 * conflicting id fails the run with a message naming model, column, count and example ids; with
 * {@code input.drop-invalid} they are dropped and counted. Nothing is silently lost: every row read
 * is accounted for in {@link ModelCounts}.
 *
 * <p>One pass over the input ({@link RowFacts}) reduces every row to its length, flags and an
 * embedding hash; everything else is an aggregation over that small table: per-model lengths and
 * flags; per-(model, id) counts and hashes (duplicates, then alignment); and, only when something
 * is wrong, example ids.
 */
public final class InputValidation {
  public static final String NULL_MODEL = "null model";
  public static final String NULL_ID = "null id";
  public static final String NULL_EMBEDDING = "null embedding";
  public static final String WRONG_DIMENSION = "wrong dimension";
  public static final String NON_FINITE = "non-finite value";
  private static final int EXAMPLES = 3;

  private InputValidation() {}

  /**
   * The validated input.
   *
   * @param valid      (model, id, embedding) rows to use: valid, and not a conflicting duplicate
   * @param alignedIds ids valid and unambiguous in every model (one column, {@code id})
   * @param problem    why a run must refuse this input (invalid rows without drop-invalid, a
   *                   zero-variance model), or null when it is accepted
   */
  public record Validated(List<String> models, Map<String, ModelCounts> counts, Dataset<Row> valid,
      Dataset<Row> alignedIds, long aligned, List<String> warnings, String problem) {

    /** Throws the problem, if there is one. */
    public Validated requireAccepted() {
      if (problem != null) {
        throw new InputException(problem);
      }
      return this;
    }
  }

  public static Validated validate(Loaded loaded, InputSpec spec) {
    Dataset<Row> rows = loaded.rows();
    String emb = EmbeddingSource.EMBEDDING;
    // Only for re-checking the rows of an input with invalid rows (see below).
    Column nonFinite = expr("exists(" + emb + ", x -> x IS NULL OR isnan(x) OR x = double('Infinity')"
        + " OR x = double('-Infinity'))");

    // The one pass over the embeddings: per row its length, null id, non-finite flag and hash.
    Dataset<Row> facts = RowFacts.of(rows.sparkSession(), rows).persist(StorageLevel.MEMORY_AND_DISK());
    try {
      return validate(loaded, spec, facts, nonFinite);
    } finally {
      facts.unpersist();
    }
  }

  private static Validated validate(Loaded loaded, InputSpec spec, Dataset<Row> facts, Column nonFinite) {
    Dataset<Row> rows = loaded.rows();
    String m = EmbeddingSource.MODEL;
    String id = EmbeddingSource.ID;
    String emb = EmbeddingSource.EMBEDDING;
    // Per model, rows by (length, null id, non-finite) — a small table.
    List<Row> statRows = facts.groupBy(col(m), col(RowFacts.LEN), col(RowFacts.NULL_ID), col(RowFacts.NON_FINITE))
        .agg(count(lit(1)).as("n")).collectAsList();
    Map<String, Long> read = new TreeMap<>();
    Map<String, Map<Integer, Long>> lengths = new HashMap<>();
    long nullModelRows = 0;
    for (Row r : statRows) {
      long n = r.getLong(4);
      if (r.isNullAt(0)) {
        nullModelRows += n;
        continue;
      }
      String model = r.getString(0);
      read.merge(model, n, Long::sum);
      int len = r.getInt(1);
      if (len > 0 && !r.getBoolean(2)) {
        lengths.computeIfAbsent(model, k -> new HashMap<>()).merge(len, n, Long::sum);
      }
    }
    List<String> models = new ArrayList<>(loaded.models().isEmpty() ? read.keySet() : loaded.models());
    if (!spec.models().isEmpty()) {
      List<String> missing = spec.models().stream().filter(x -> !read.containsKey(x)).toList();
      if (!missing.isEmpty()) {
        throw new InputException("models " + missing + " named in input.models have no rows in '" + spec.path()
            + "'; found " + read.keySet());
      }
    }
    for (String model : models) {
      if (!read.containsKey(model)) {
        throw new InputException("model '" + model + "' has no rows in '" + spec.path() + "'");
      }
    }
    if (models.size() < 2) {
      throw new InputException("isrank compares models, but '" + spec.path() + "' holds " + models.size()
          + (models.size() == 1 ? " model (" + models.get(0) + ")" : " models") + "; it needs at least 2");
    }
    Map<String, Integer> dims = new LinkedHashMap<>();
    for (String model : models) {
      Map<Integer, Long> byLen = lengths.getOrDefault(model, Map.of());
      int dim = byLen.entrySet().stream()
          .max(Map.Entry.<Integer, Long>comparingByValue().thenComparing(Map.Entry.comparingByKey()))
          .map(Map.Entry::getKey).orElse(0);
      dims.put(model, dim);
    }

    Column dimOf = dimensionLookup(dims);
    Column problem = when(col(m).isNull(), lit(NULL_MODEL))
        .when(col(RowFacts.NULL_ID), lit(NULL_ID))
        .when(col(RowFacts.LEN).lt(0), lit(NULL_EMBEDDING))
        .when(col(RowFacts.LEN).notEqual(dimOf), lit(WRONG_DIMENSION))
        .when(col(RowFacts.NON_FINITE), lit(NON_FINITE));
    Dataset<Row> classified = facts.withColumn("problem", problem);
    Map<String, Map<String, Long>> invalid = new HashMap<>();
    Map<String, Map<Integer, Long>> wrongLengths = new HashMap<>();
    Map<String, Map<String, List<String>>> invalidExamples = new HashMap<>();
    long invalidTotal = nullModelRows;
    for (Row r : statRows) {
      // Re-read the small stats table with the dimensions now known.
      if (r.isNullAt(0) || !dims.containsKey(r.getString(0))) {
        continue;
      }
      String model = r.getString(0);
      int len = r.getInt(1);
      String reason = r.getBoolean(2) ? NULL_ID : len < 0 ? NULL_EMBEDDING : len != dims.get(model)
          ? WRONG_DIMENSION : r.getBoolean(3) ? NON_FINITE : null;
      if (reason != null) {
        invalid.computeIfAbsent(model, k -> new TreeMap<>()).merge(reason, r.getLong(4), Long::sum);
        if (reason.equals(WRONG_DIMENSION)) {
          wrongLengths.computeIfAbsent(model, k -> new TreeMap<>()).merge(len, r.getLong(4), Long::sum);
        }
        invalidTotal += r.getLong(4);
      }
    }
    if (invalidTotal > 0) {
      Dataset<Row> bad = classified.filter(col("problem").isNotNull().and(col(m).isNotNull()));
      for (Map.Entry<String, List<String>> e : examples(bad, col("problem"), id).entrySet()) {
        String[] key = e.getKey().split("\u0000", 2);
        invalidExamples.computeIfAbsent(key[0], k -> new TreeMap<>()).put(key[1], e.getValue());
      }
    }

    // Per (model, id) copies and embedding hashes: duplicates, conflicts, alignment.
    Dataset<Row> keys = classified.filter(col("problem").isNull().and(col(m).isin(models.toArray())))
        .groupBy(col(m), col(id))
        .agg(count(lit(1)).as("copies"), min(col(RowFacts.HASH)).as("hmin"), max(col(RowFacts.HASH)).as("hmax"))
        .withColumn("conflict", col("hmin").notEqual(col("hmax")))
        .persist(StorageLevel.MEMORY_AND_DISK());
    Map<String, long[]> dup = new HashMap<>();
    List<String> zeroVariance = new ArrayList<>();
    for (Row r : keys.groupBy(col(m)).agg(
            count(lit(1)).as("ids"),
            expr("sum(CASE WHEN NOT conflict THEN copies - 1 ELSE 0 END)").as("dups"),
            expr("sum(CASE WHEN conflict THEN 1 ELSE 0 END)").as("conflicts"),
            min(col("hmin")).as("lowest"), max(col("hmax")).as("highest"))
        .collectAsList()) {
      dup.put(r.getString(0), new long[] {r.getLong(1), r.getLong(2), r.getLong(3)});
      if (r.getLong(4) == r.getLong(5) && r.getLong(1) > 1) {
        zeroVariance.add("model '" + r.getString(0) + "' has zero variance: all its " + r.getLong(1)
            + " valid embeddings are the same vector, so it carries no information to rank; remove it (input.models)");
      }
    }
    long conflictTotal = dup.values().stream().mapToLong(x -> x[2]).sum();
    Map<String, List<String>> conflictExamples = new HashMap<>();
    Dataset<Row> conflicts = keys.filter(col("conflict")).select(col(m), col(id));
    if (conflictTotal > 0) {
      examples(conflicts, lit("conflict"), id).forEach((k, v) -> conflictExamples.put(k.split("\u0000", 2)[0], v));
    }

    List<String> problems = new ArrayList<>();
    if (!spec.dropInvalid() && (invalidTotal > 0 || conflictTotal > 0)) {
      problems.add(describeProblems(spec, read, nullModelRows, invalid, invalidExamples, dup, conflictExamples,
          wrongLengths, dims, lengths));
    }
    problems.addAll(zeroVariance);
    Dataset<Row> alignedIds = keys.filter(col("conflict").equalTo(false))
        // keys has one row per (model, id), so an id's row count is its number of models
        .groupBy(col(id)).agg(count(lit(1)).as("models"))
        .filter(col("models").equalTo(models.size())).select(col(id))
        .persist(StorageLevel.MEMORY_AND_DISK());
    long aligned = alignedIds.count();
    // The rows later stages read. On a clean input (the usual case) no row-level check is left to
    // repeat; only inputs with invalid rows (accepted with drop-invalid) pay for re-checking each row.
    Dataset<Row> valid = rows.filter(col(m).isin(models.toArray()));
    if (invalidTotal > 0) {
      Column rawProblem = col(m).isNull().or(col(id).isNull()).or(col(emb).isNull())
          .or(size(col(emb)).notEqual(dimOf)).or(nonFinite);
      valid = valid.filter(org.apache.spark.sql.functions.not(rawProblem));
    }
    if (conflictTotal > 0) {
      valid = valid.join(conflicts, new String[] {m, id}, "left_anti");
    }

    Map<String, ModelCounts> counts = new LinkedHashMap<>();
    List<String> warnings = new ArrayList<>();
    loaded.idTypeWarning().ifPresent(warnings::add);
    if (nullModelRows > 0) {
      warnings.add(nullModelRows + " rows with a null '" + spec.modelColumn() + "' were dropped");
    }
    for (String model : models) {
      long[] d = dup.getOrDefault(model, new long[3]);
      long distinct = d[0] - d[2];
      ModelCounts c = new ModelCounts(model, read.get(model), dims.get(model),
          invalid.getOrDefault(model, Map.of()), invalidExamples.getOrDefault(model, Map.of()),
          d[1], d[2], conflictExamples.getOrDefault(model, List.of()), distinct, distinct - aligned, aligned);
      counts.put(model, c);
      if (c.invalidTotal() > 0 || c.conflictingIds() > 0) {
        warnings.add("model '" + model + "': dropped " + c.invalidTotal() + " invalid rows " + c.invalidRows()
            + " and " + c.conflictingIds() + " conflicting ids (input.drop-invalid)");
      }
      if (c.duplicateRows() > 0) {
        warnings.add("model '" + model + "': " + c.duplicateRows() + " duplicate rows (same id, same embedding) "
            + "were collapsed");
      }
    }
    keys.unpersist();
    return new Validated(List.copyOf(models), counts, valid, alignedIds, aligned, warnings,
        problems.isEmpty() ? null : String.join("\n", problems));
  }

  /** Up to three example ids (smallest first) per (model, reason), keyed "model\0reason". */
  private static Map<String, List<String>> examples(Dataset<Row> bad, Column reason, String id) {
    String m = EmbeddingSource.MODEL;
    Dataset<Row> top = bad.select(col(m), reason.as("reason"), col(id))
        .withColumn("rn", row_number().over(Window.partitionBy(col(m), col("reason")).orderBy(col(id))))
        .filter(col("rn").leq(EXAMPLES));
    Map<String, List<String>> out = new TreeMap<>();
    for (Row r : top.orderBy(col(m), col("reason"), col("rn")).collectAsList()) {
      out.computeIfAbsent(r.getString(0) + "\u0000" + r.getString(1), k -> new ArrayList<>())
          .add(r.isNullAt(2) ? "null" : String.valueOf(r.get(2)));
    }
    return out;
  }

  private static Column dimensionLookup(Map<String, Integer> dims) {
    List<Column> kv = new ArrayList<>();
    for (Map.Entry<String, Integer> e : dims.entrySet()) {
      kv.add(lit(e.getKey()));
      kv.add(lit(e.getValue()));
    }
    return org.apache.spark.sql.functions.element_at(org.apache.spark.sql.functions.map(kv.toArray(new Column[0])),
        col(EmbeddingSource.MODEL));
  }

  private static String describeProblems(InputSpec spec, Map<String, Long> read, long nullModelRows, Map<String, Map<String, Long>> invalid,
      Map<String, Map<String, List<String>>> examples, Map<String, long[]> dup, Map<String, List<String>> conflicts,
      Map<String, Map<Integer, Long>> wrongLengths, Map<String, Integer> dims, Map<String, Map<Integer, Long>> lengths) {
    List<String> lines = new ArrayList<>();
    if (nullModelRows > 0) {
      lines.add(nullModelRows + " rows have a null '" + spec.modelColumn() + "'");
    }
    for (String model : new TreeSet<>(invalid.keySet())) {
      for (Map.Entry<String, Long> e : invalid.get(model).entrySet()) {
        String column = e.getKey().equals(NULL_ID) ? spec.idColumn() : spec.embeddingColumn();
        String what = switch (e.getKey()) {
          case NULL_ID -> "a null";
          case NULL_EMBEDDING -> "a null";
          case WRONG_DIMENSION -> "the wrong length in";
          default -> "NaN, Infinity or null elements in";
        };
        String note = e.getKey().equals(WRONG_DIMENSION) ? wrongLengthNote(wrongLengths.get(model), dims.get(model),
            lengths.getOrDefault(model, Map.of()).getOrDefault(dims.get(model), 0L))
            : e.getKey().equals(NULL_EMBEDDING) && e.getValue().equals(read.get(model))
            ? " (all of its rows: do its files have the column '" + spec.embeddingColumn() + "'?)" : "";
        lines.add("model '" + model + "': " + e.getValue() + " rows have " + what + " '" + column + "'" + note
            + exampleText(examples.getOrDefault(model, Map.of()).get(e.getKey())));
      }
    }
    for (String model : new TreeSet<>(dup.keySet())) {
      long n = dup.get(model)[2];
      if (n > 0) {
        lines.add("model '" + model + "': " + n + " ids appear more than once with different '"
            + spec.embeddingColumn() + "' values" + exampleText(conflicts.get(model)));
      }
    }
    return String.join("\n", lines) + "\nfix the input or pass --drop-invalid to drop and count these rows";
  }

  /** ": lengths 2 (2 rows), 4 (1 row); the model's dimension is taken as its most common length, 3 (297 rows)" */
  private static String wrongLengthNote(Map<Integer, Long> found, int dim, long rowsAtDim) {
    List<String> parts = new ArrayList<>();
    if (found != null) {
      found.forEach((len, n) -> parts.add(len + " (" + n + (n == 1 ? " row)" : " rows)")));
    }
    return ": " + (parts.size() == 1 ? "length " : "lengths ") + String.join(", ", parts)
        + "; the model's dimension is taken as its most common length, " + dim + " (" + rowsAtDim + " rows)";
  }

  private static String exampleText(List<String> ids) {
    return ids == null || ids.isEmpty() ? "" : " (e.g. ids " + String.join(", ", ids) + ")";
  }
}
