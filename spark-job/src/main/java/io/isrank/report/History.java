package io.isrank.report;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.isrank.error.IsrankException;
import io.isrank.runtime.HadoopPaths;
import io.isrank.runtime.OutputFolder;
import io.isrank.runtime.Redaction;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The history tables: long-lived Parquet tables under one folder to which every run appends its
 * ranking and pairs, and a table of the runs whose entry is complete.
 *
 * <p><b>Layout.</b> {@code <history>/ranking}, {@code <history>/pairs} and {@code <history>/runs},
 * each partitioned by {@code run_date} (Hive style, {@code run_date=YYYY-MM-DD}), each row led by
 * {@code run_id}. One run adds one file to each table, named {@code part-<run id>-<n>.parquet}.
 *
 * <p><b>Concurrent appends.</b> Spark's file committer keeps a job's files in a {@code _temporary}
 * folder under the table and deletes it when the job commits, so two jobs appending to one table
 * at once can lose each other's files. isrank never writes into the tables with Spark: each run
 * writes into its own staging folder {@code <history>/_isrank_staging/<run id>} and then renames
 * its finished files into the tables. A rename of one file is atomic on HDFS and local disks, and
 * two runs' files have different names, so any number of runs can append at once.
 *
 * <p><b>All or nothing.</b> The {@code runs} table is written last: a run is in the history when
 * its run_id is in {@code runs}. If a step fails, the run removes the files it had moved (and only
 * those, by their exact names); if the process dies between renames, its rows in ranking or pairs
 * have no {@code runs} entry, and readers that join on {@code runs} (as isrank's comparison does)
 * never see them.
 */
public final class History {
  private static final Logger LOG = LoggerFactory.getLogger("io.isrank");
  /** Folder under the history root where a run writes before moving its files into the tables. */
  static final String STAGING = "_isrank_staging";
  public static final String RANKING = "ranking";
  public static final String PAIRS = "pairs";
  public static final String RUNS = "runs";

  /**
   * One row of the {@code runs} table: a run whose history entry is complete. Paths are redacted;
   * the fingerprint is run.json's input fingerprint.
   */
  public record RunRow(String started, String finished, String isrankVersion, String inputPath,
      String inputFingerprint, int models, String estimator, String normalisation, long seed, String outputPath) {}

  private History() {}

  /**
   * Appends the run's ranking and pairs, then its {@code runs} row, as described in the class
   * comment.
   *
   * @throws IsrankException naming the table when a step fails; nothing of the run is then left
   *     in the tables
   */
  public static void append(SparkSession spark, String history, String runId, String date, List<RankingRow> ranking,
      List<PairRow> pairs, RunRow run) {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    Map<String, Dataset<Row>> tables = new LinkedHashMap<>();
    tables.put(RANKING, Tables.dataFrame(spark, RANKING, RankingRow.class, ranking));
    tables.put(PAIRS, Tables.dataFrame(spark, PAIRS, PairRow.class, pairs));
    tables.put(RUNS, Tables.dataFrame(spark, RUNS, RunRow.class, List.of(run)));
    // where each table's files live: <history>/<table>, or the catalog table's location
    Map<String, Path> roots = new LinkedHashMap<>();
    if (isCatalog(history)) {
      for (Map.Entry<String, Dataset<Row>> t : tables.entrySet()) {
        roots.put(t.getKey(), Catalog.ensure(spark, Catalog.table(history, t.getKey()), t.getValue().schema()));
      }
    } else {
      Path root = OutputFolder.qualified("history", history, conf);
      for (String t : tables.keySet()) {
        roots.put(t, new Path(root, t));
      }
    }
    Path root = roots.get(RANKING).getParent();
    FileSystem fs = HadoopPaths.fileSystem("history", root, conf);
    Path staging = new Path(new Path(root, STAGING), runId);
    List<Path> moved = new ArrayList<>();
    List<Path> made = new ArrayList<>();
    String step = "staging";
    boolean staged = false; // the staging folder is this run's: only then is it removed
    try {
      if (fs.exists(staging)) {
        throw new IOException("staging folder '" + Redaction.text(staging.toString()) + "' already exists: another "
            + "run with the same run id is appending");
      }
      staged = true;
      for (Map.Entry<String, Dataset<Row>> t : tables.entrySet()) {
        step = t.getKey();
        Tables.withRunId(t.getValue(), runId).withColumn("run_date", lit(date)).write()
            .mode(SaveMode.ErrorIfExists).partitionBy("run_date").parquet(new Path(staging, t.getKey()).toString());
      }
      // ranking and pairs first, runs last: its row says the others are complete
      for (String table : tables.keySet()) {
        step = table;
        Path from = new Path(staging, table + "/run_date=" + date);
        Path to = new Path(roots.get(table), "run_date=" + date);
        for (Path p : List.of(roots.get(table), to)) {
          FileStatus status = fs.exists(p) ? fs.getFileStatus(p) : null;
          if (status != null && !status.isDirectory()) {
            throw new IOException("'" + Redaction.text(p.toString()) + "' is a file, not a table folder; it was left "
                + "as it is");
          }
          if (status == null) {
            if (!fs.mkdirs(p)) {
              throw new IOException("cannot create the folder '" + Redaction.text(p.toString()) + "'");
            }
            made.add(p);
          }
        }
        int n = 0;
        for (FileStatus f : fs.listStatus(from, p -> p.getName().endsWith(".parquet") && !p.getName().startsWith("."))) {
          Path dest = new Path(to, "part-" + runId + "-" + n++ + ".parquet");
          if (fs.exists(dest)) {
            throw new IOException("'" + Redaction.text(dest.toString()) + "' already exists");
          }
          if (!fs.rename(f.getPath(), dest)) {
            throw new IOException("could not move '" + Redaction.text(f.getPath().toString()) + "' to '"
                + Redaction.text(dest.toString()) + "'");
          }
          moved.add(dest);
        }
      }
      if (isCatalog(history)) {
        step = "catalog";
        for (String table : tables.keySet()) {
          Catalog.addPartition(spark, Catalog.table(history, table), date);
        }
      }
    } catch (IOException | RuntimeException e) {
      int removed = removeOwn(fs, moved, made);
      throw new IsrankException("appending this run to the history table '" + Redaction.text(history)
          + (isCatalog(history) ? "." + Catalog.PREFIX : "/") + step
          + "' failed: " + Redaction.text(String.valueOf(e.getMessage())) + "; "
          + (removed == moved.size() ? "nothing of this run was left in the history tables"
              : "its rows without an entry in '" + RUNS + "' are not part of the history"), e);
    } finally {
      if (staged) {
        removeStaging(fs, staging);
      }
    }
  }

  /** Removes this run's staging folder, and the staging root when no other run is using it. */
  private static void removeStaging(FileSystem fs, Path staging) {
    try {
      fs.delete(staging, true);
      Path parent = staging.getParent();
      if (fs.listStatus(parent).length == 0) {
        fs.delete(parent, false); // fails harmlessly if another run started staging meanwhile
      }
    } catch (IOException e) {
      LOG.warn("could not remove the staging folder {}: {}", Redaction.text(staging.toString()),
          Redaction.text(e.getMessage()));
    }
  }

  /**
   * Deletes the files this run moved into the tables, then the folders it created if they are
   * still empty (another run may have added to them); returns how many of the files are gone.
   */
  private static int removeOwn(FileSystem fs, List<Path> moved, List<Path> made) {
    int removed = 0;
    for (Path p : moved) {
      try {
        if (fs.delete(p, false) || !fs.exists(p)) {
          removed++;
        }
      } catch (IOException e) {
        LOG.warn("could not remove {} after the failed append: {}", Redaction.text(p.toString()),
            Redaction.text(e.getMessage()));
      }
    }
    for (int i = made.size() - 1; i >= 0; i--) {
      try {
        if (fs.listStatus(made.get(i)).length == 0) {
          fs.delete(made.get(i), false);
        }
      } catch (IOException e) {
        LOG.debug("left the folder {}: {}", made.get(i), e.getMessage());
      }
    }
    return removed;
  }

  /**
   * The latest complete run in the history that shares at least one model with {@code models},
   * or null when there is none (or no history yet). A history written before the {@code runs}
   * table existed counts each of its run ids as complete.
   */
  public static Comparison.Baseline latest(SparkSession spark, String history, List<String> models) {
    try {
      java.util.function.Function<String, Dataset<Row>> read;
      java.util.function.Predicate<String> exists;
      if (isCatalog(history)) {
        read = t -> spark.table(Catalog.table(history, t));
        exists = t -> spark.catalog().tableExists(Catalog.table(history, t));
      } else {
        Configuration conf = spark.sparkContext().hadoopConfiguration();
        Path root = OutputFolder.qualified("history", history, conf);
        FileSystem fs = HadoopPaths.fileSystem("history", root, conf);
        read = t -> spark.read().parquet(new Path(root, t).toString());
        exists = t -> fsExists(fs, new Path(root, t));
      }
      if (!exists.test(RANKING)) {
        return null;
      }
      Map<String, Row> runs = new LinkedHashMap<>();
      Dataset<Row> ranking = read.apply(RANKING).select("run_id", "model", "rank", "informativeness", "lower", "upper");
      if (exists.test(RUNS)) {
        for (Row r : read.apply(RUNS)
            .select("run_id", "finished", "input_fingerprint", "normalisation", "estimator").collectAsList()) {
          runs.put(r.getString(0), r);
        }
        ranking = ranking.filter(col("run_id").isin(runs.keySet().toArray()));
      }
      Map<String, List<Comparison.Entry>> byRun = new LinkedHashMap<>();
      for (Row r : ranking.collectAsList()) {
        byRun.computeIfAbsent(r.getString(0), k -> new ArrayList<>()).add(new Comparison.Entry(r.getString(1),
            r.getInt(2), r.getDouble(3), r.isNullAt(4) ? null : r.getDouble(4), r.isNullAt(5) ? null : r.getDouble(5)));
      }
      Set<String> mine = new HashSet<>(models);
      String best = byRun.keySet().stream()
          .filter(id -> byRun.get(id).stream().anyMatch(e -> mine.contains(e.model())))
          .max(Comparator.naturalOrder()).orElse(null); // run ids start with their UTC start time
      if (best == null) {
        return null;
      }
      List<Comparison.Entry> entries = new ArrayList<>(byRun.get(best));
      entries.sort(Comparator.comparingInt(Comparison.Entry::rank));
      Row run = runs.get(best);
      return new Comparison.Baseline(best, run == null ? null : run.getString(1),
          "history table '" + Redaction.text(history) + "'", run == null ? null : run.getString(2),
          run == null ? null : run.getString(3), run == null ? null : run.getString(4), List.copyOf(entries));
    } catch (Exception e) { // also Spark's checked exceptions (an unreadable file), thrown through Scala code
      if (e instanceof IsrankException i) {
        throw i;
      }
      throw new IsrankException("reading the history '" + Redaction.text(history) + "' for the comparison failed: "
          + Redaction.text(String.valueOf(e.getMessage())), e);
    }
  }

  /**
   * The run in an earlier isrank output folder ({@code --compare-with}).
   *
   * @throws IsrankException when the folder is not an isrank output
   */
  public static Comparison.Baseline ofOutput(SparkSession spark, String folder) {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    Path dir = OutputFolder.qualified("compare-with", folder, conf);
    FileSystem fs = HadoopPaths.fileSystem("compare-with", dir, conf);
    JsonNode run;
    try (InputStream in = fs.open(new Path(dir, "run.json"))) {
      run = new ObjectMapper().readTree(in);
    } catch (FileNotFoundException e) {
      throw new IsrankException("compare-with '" + Redaction.text(folder) + "' is not an isrank output: it has no "
          + "run.json; name the output folder of an earlier run", e);
    } catch (IOException e) {
      throw new IsrankException("compare-with '" + Redaction.text(folder) + "': cannot read its run.json: "
          + Redaction.text(e.getMessage()), e);
    }
    if (run.path("run_id").asText("").isEmpty() || !fsExists(fs, new Path(dir, RANKING))) {
      throw new IsrankException("compare-with '" + Redaction.text(folder) + "' is not a complete isrank output (its "
          + "run.json has no run_id or the ranking table is missing)");
    }
    List<Comparison.Entry> entries = new ArrayList<>();
    for (Row r : spark.read().parquet(new Path(dir, RANKING).toString())
        .select("model", "rank", "informativeness", "lower", "upper").orderBy("rank").collectAsList()) {
      entries.add(new Comparison.Entry(r.getString(0), r.getInt(1), r.getDouble(2),
          r.isNullAt(3) ? null : r.getDouble(3), r.isNullAt(4) ? null : r.getDouble(4)));
    }
    JsonNode config = run.path("config");
    return new Comparison.Baseline(run.get("run_id").asText(), textOrNull(run.path("finished")),
        "output folder '" + Redaction.text(folder) + "'", textOrNull(run.path("input").path("fingerprint")),
        textOrNull(config.path("rank.normalisation")), textOrNull(config.path("estimator.type")), List.copyOf(entries));
  }

  /**
   * Checks up front that catalog history tables can be created: the database exists. (A folder
   * history is checked by {@link OutputFolder#requireApart}.)
   */
  public static void check(SparkSession spark, String history) {
    if (isCatalog(history)) {
      Catalog.requireDatabase(spark, Catalog.database(history));
    }
  }

  /** True for {@code table:<database>}: the history tables are catalog tables in that database. */
  public static boolean isCatalog(String history) {
    return history.startsWith(io.isrank.load.InputSpec.TABLE);
  }

  /**
   * History tables in a catalog database ({@code output.history = table:<database>}):
   * {@code <database>.isrank_ranking}, {@code isrank_pairs} and {@code isrank_runs}, Parquet tables
   * partitioned by run_date, created on first use. Files reach them as in the folder layout
   * (staged, renamed into the table's location); the run_date partition is then registered.
   */
  static final class Catalog {
    static final String PREFIX = "isrank_";

    private Catalog() {}

    static String database(String history) {
      return history.substring(io.isrank.load.InputSpec.TABLE.length()).trim();
    }

    static String table(String history, String name) {
      return database(history) + "." + PREFIX + name;
    }

    /** Creates the table if it does not exist; returns its location. */
    static Path ensure(SparkSession spark, String name, org.apache.spark.sql.types.StructType schema) {
      requireDatabase(spark, name.substring(0, name.lastIndexOf('.')));
      StringBuilder columns = new StringBuilder("run_id STRING");
      for (org.apache.spark.sql.types.StructField f : schema.fields()) {
        columns.append(", ").append(f.name()).append(' ').append(f.dataType().sql());
      }
      columns.append(", run_date STRING");
      spark.sql("CREATE TABLE IF NOT EXISTS " + name + " (" + columns + ") USING parquet PARTITIONED BY (run_date)");
      for (Row r : spark.sql("DESCRIBE TABLE EXTENDED " + name).collectAsList()) {
        if ("Location".equals(r.getString(0))) {
          return new Path(r.getString(1));
        }
      }
      throw new IsrankException("history table '" + name + "' has no location in the catalog; isrank appends files "
          + "to a table's location");
    }

    static void requireDatabase(SparkSession spark, String database) {
      if (database.isEmpty() || !spark.catalog().databaseExists(database)) {
        throw new IsrankException("history database '" + database + "' does not exist in the "
            + spark.conf().get("spark.sql.catalogImplementation", "in-memory") + " catalog; create it (CREATE "
            + "DATABASE " + database + ") or choose another output.history");
      }
    }

    static void addPartition(SparkSession spark, String name, String date) {
      spark.sql("ALTER TABLE " + name + " ADD IF NOT EXISTS PARTITION (run_date = '" + date + "')");
      spark.sql("REFRESH TABLE " + name);
    }
  }

  private static boolean fsExists(FileSystem fs, Path p) {
    try {
      return fs.exists(p);
    } catch (IOException e) {
      return false;
    }
  }

  private static String textOrNull(JsonNode n) {
    return n.isMissingNode() || n.isNull() ? null : n.asText();
  }
}
