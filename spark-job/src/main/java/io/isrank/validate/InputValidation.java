package io.isrank.validate;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import io.isrank.error.InputException;
import io.isrank.load.EmbeddingSource.Loaded;
import io.isrank.load.EmbeddingSource;
import io.isrank.load.InputSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

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
   * @param alignedKeys the split keys of the ids valid and unambiguous in every model
   * @param fitCandidates rows kept whole for the fit sample
   * @param problem    why a run must refuse this input (invalid rows without drop-invalid, a
   *                   zero-variance model), or null when it is accepted
   */
  public record Validated(List<String> models, Map<String, ModelCounts> counts, Dataset<Row> valid,
      AlignedKeys alignedKeys, FitCandidates fitCandidates, long aligned, List<String> warnings, String problem) {

    /** Frees what the validation keeps for later stages (call when they are done, or on failure). */
    public void release() {
      alignedKeys.unpersist();
      fitCandidates.release();
    }

    /** Throws the problem, if there is one. */
    public Validated requireAccepted() {
      if (problem != null) {
        release();
        throw new InputException(problem);
      }
      return this;
    }
  }

  public static Validated validate(Loaded loaded, InputSpec spec, long seed) {
    return validate(loaded, spec, seed, 0);
  }

  /**
   * @param fitRows split.fit-rows, to keep the fit sample's candidates whole during the scan
   *                ({@link FitCandidates}); 0 keeps none
   */
  public static Validated validate(Loaded loaded, InputSpec spec, long seed, long fitRows) {
    long keep = Long.MIN_VALUE;
    if (fitRows > 0 && !loaded.files().isEmpty()) {
      // Rows per model (no embedding is read). They only set how many rows the scan keeps whole:
      // with too few, the reduction reads the input for the fit sample; the numbers are the same.
      keep = FitCandidates.threshold(loaded.rowsPerModel(), fitRows);
    }
    // The one read of the embeddings: per task, counts by (model, length, flags), four longs per
    // row, and the rows under the threshold whole.
    JavaRDD<RowScan.Block> blocks = RowScan.scan(loaded.rows(), seed, keep).persist(StorageLevel.MEMORY_AND_DISK());
    try {
      return validate(loaded, spec, seed, blocks, keep);
    } catch (RuntimeException e) {
      blocks.unpersist(false);
      throw e;
    }
  }

  private static Validated validate(Loaded loaded, InputSpec spec, long seed, JavaRDD<RowScan.Block> blocks,
      long keep) {
    Dataset<Row> rows = loaded.rows();
    String m = EmbeddingSource.MODEL;
    String id = EmbeddingSource.ID;
    String emb = EmbeddingSource.EMBEDDING;
    // Per model, rows by (length, null id, non-finite) — a small table.
    Map<RowScan.StatKey, Long> stats = new HashMap<>();
    long recorded = 0;
    for (Tuple2<Map<RowScan.StatKey, Long>, Integer> t : blocks.map(b -> new Tuple2<>(b.stats(), b.rows())).collect()) {
      t._1().forEach((k, n) -> stats.merge(k, n, Long::sum));
      recorded += t._2();
    }
    Map<String, Long> read = new TreeMap<>();
    Map<String, Map<Integer, Long>> lengths = new HashMap<>();
    long nullModelRows = 0;
    for (Map.Entry<RowScan.StatKey, Long> e : stats.entrySet()) {
      RowScan.StatKey k = e.getKey();
      long n = e.getValue();
      if (k.model() == null) {
        nullModelRows += n;
        continue;
      }
      read.merge(k.model(), n, Long::sum);
      if (k.length() > 0 && !k.nullId()) {
        lengths.computeIfAbsent(k.model(), x -> new HashMap<>()).merge(k.length(), n, Long::sum);
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
    Map<String, Map<String, Long>> invalid = new HashMap<>();
    Map<String, Map<Integer, Long>> wrongLengths = new HashMap<>();
    Map<String, Map<String, List<String>>> invalidExamples = new HashMap<>();
    long invalidTotal = nullModelRows;
    for (Map.Entry<RowScan.StatKey, Long> e : stats.entrySet()) {
      // Re-read the small stats table with the dimensions now known.
      RowScan.StatKey k = e.getKey();
      if (k.model() == null || !dims.containsKey(k.model())) {
        continue;
      }
      String model = k.model();
      int len = k.length();
      String reason = k.nullId() ? NULL_ID : len < 0 ? NULL_EMBEDDING : len != dims.get(model)
          ? WRONG_DIMENSION : k.nonFinite() ? NON_FINITE : null;
      if (reason != null) {
        invalid.computeIfAbsent(model, x -> new TreeMap<>()).merge(reason, e.getValue(), Long::sum);
        if (reason.equals(WRONG_DIMENSION)) {
          wrongLengths.computeIfAbsent(model, x -> new TreeMap<>()).merge(len, e.getValue(), Long::sum);
        }
        invalidTotal += e.getValue();
      }
    }
    if (invalidTotal > 0) {
      // Only an input with invalid rows pays for a second read: the example ids of each problem.
      Column problem = when(col(m).isNull(), lit(NULL_MODEL))
          .when(col(RowFacts.NULL_ID), lit(NULL_ID))
          .when(col(RowFacts.LEN).lt(0), lit(NULL_EMBEDDING))
          .when(col(RowFacts.LEN).notEqual(dimOf), lit(WRONG_DIMENSION))
          .when(col(RowFacts.NON_FINITE), lit(NON_FINITE));
      Dataset<Row> bad = RowFacts.of(rows.sparkSession(), rows).withColumn("problem", problem)
          .filter(col("problem").isNotNull().and(col(m).isNotNull()));
      for (Map.Entry<String, List<String>> e : examples(bad, col("problem"), id).entrySet()) {
        String[] key = e.getKey().split("\u0000", 2);
        invalidExamples.computeIfAbsent(key[0], k -> new TreeMap<>()).put(key[1], e.getValue());
      }
    }

    // Duplicates, conflicts and alignment: one shuffle of four longs per valid row, by key range.
    Map<String, Integer> modelIndex = new HashMap<>();
    int[] dimArray = new int[models.size()];
    for (int i = 0; i < models.size(); i++) {
      modelIndex.put(models.get(i), i);
      dimArray[i] = dims.get(models.get(i));
    }
    int partitions = (int) Math.max(rows.sparkSession().sparkContext().defaultParallelism(),
        Math.min(100_000, (recorded + ROWS_PER_RANGE - 1) / ROWS_PER_RANGE));
    JavaRDD<ItemIndex.Part> parts = ItemIndex.index(blocks, modelIndex, dimArray, partitions)
        .persist(StorageLevel.MEMORY_AND_DISK());
    // one job: each range's findings without its keys, and how many keys it holds
    List<Tuple2<ItemIndex.Part, Long>> found = parts.map(part -> new Tuple2<>(part.summary(),
        (long) part.alignedKeys().length)).collect();
    int mc = models.size();
    long[] ids = new long[mc];
    long[] dups = new long[mc];
    long[] conflictCounts = new long[mc];
    long[] lowest = new long[mc];
    long[] highest = new long[mc];
    java.util.Arrays.fill(lowest, Long.MAX_VALUE);
    java.util.Arrays.fill(highest, Long.MIN_VALUE);
    long[] alignedPerPart = new long[found.size()];
    List<Row> conflictKeys = new ArrayList<>();
    for (int p = 0; p < found.size(); p++) {
      ItemIndex.Part part = found.get(p)._1();
      alignedPerPart[p] = found.get(p)._2();
      for (int i = 0; i < mc; i++) {
        ids[i] += part.ids()[i];
        dups[i] += part.duplicateRows()[i];
        conflictCounts[i] += part.conflicts()[i];
        lowest[i] = Math.min(lowest[i], part.lowest()[i]);
        highest[i] = Math.max(highest[i], part.highest()[i]);
      }
      long[] ck = part.conflictKeys();
      for (int c = 0; c < ck.length; c += 3) {
        conflictKeys.add(RowFactory.create(models.get((int) ck[c]), ck[c + 1], ck[c + 2]));
      }
    }
    AlignedKeys alignedKeys = new AlignedKeys(parts, alignedPerPart);
    Map<String, long[]> dup = new HashMap<>();
    List<String> zeroVariance = new ArrayList<>();
    for (int i = 0; i < mc; i++) {
      if (ids[i] == 0) {
        continue;
      }
      dup.put(models.get(i), new long[] {ids[i], dups[i], conflictCounts[i]});
      if (lowest[i] == highest[i] && ids[i] > 1) {
        zeroVariance.add("model '" + models.get(i) + "' has zero variance: all its " + ids[i]
            + " valid embeddings are the same vector, so it carries no information to rank; remove it (input.models)");
      }
    }
    long conflictTotal = dup.values().stream().mapToLong(x -> x[2]).sum();
    Map<String, List<String>> conflictExamples = new HashMap<>();
    Dataset<Row> conflicts = null;
    if (conflictTotal > 0) {
      StructType keySchema = new StructType().add(m, DataTypes.StringType).add(EmbeddingSource.KEY, DataTypes.LongType)
          .add(RowScan.ID_HASH, DataTypes.LongType);
      Dataset<Row> keys = rows.sparkSession().createDataFrame(conflictKeys, keySchema);
      conflicts = rows.select(col(m), col(id), EmbeddingSource.itemKey(seed).as(EmbeddingSource.KEY), xxhash64(col(id)).as(RowScan.ID_HASH))
          .join(broadcast(keys), new String[] {m, EmbeddingSource.KEY, RowScan.ID_HASH}).select(col(m), col(id)).distinct();
      examples(conflicts, lit("conflict"), id).forEach((k, v) -> conflictExamples.put(k.split("\u0000", 2)[0], v));
    }

    List<String> problems = new ArrayList<>();
    if (!spec.dropInvalid() && (invalidTotal > 0 || conflictTotal > 0)) {
      problems.add(describeProblems(spec, read, nullModelRows, invalid, invalidExamples, dup, conflictExamples,
          wrongLengths, dims, lengths));
    }
    problems.addAll(zeroVariance);
    long aligned = alignedKeys.count();
    // The rows later stages read. On a clean input (the usual case) no row-level check is left to
    // repeat; only inputs with invalid rows (accepted with drop-invalid) pay for re-checking each row.
    // Rows of a model outside the run (input.models) or with a null model are left out; an input
    // with none needs no per-row test of the model's name.
    boolean otherModels = nullModelRows > 0 || !models.containsAll(read.keySet());
    Dataset<Row> valid = otherModels ? rows.filter(col(m).isin(models.toArray())) : rows;
    if (invalidTotal > 0) {
      Column nonFinite = expr("exists(" + emb + ", x -> x IS NULL OR isnan(x) OR x = double('Infinity')"
          + " OR x = double('-Infinity'))");
      Column rawProblem = col(m).isNull().or(col(id).isNull()).or(col(emb).isNull())
          .or(size(col(emb)).notEqual(dimOf)).or(nonFinite);
      valid = valid.filter(org.apache.spark.sql.functions.not(rawProblem));
    }
    if (conflicts != null) {
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
    FitCandidates candidates = new FitCandidates(blocks, keep, modelIndex, dimArray);
    return new Validated(List.copyOf(models), counts, valid, alignedKeys, candidates, aligned, warnings,
        problems.isEmpty() ? null : String.join("\n", problems));
  }

  /** Valid rows per key range of the alignment shuffle (about 32 MB of keys each). */
  static final long ROWS_PER_RANGE = 1_000_000;

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
