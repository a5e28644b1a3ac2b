package io.isrank.job;

import io.isrank.align.Projection;
import io.isrank.error.ConfigException;
import io.isrank.estimate.Direction;
import io.isrank.estimate.GaussianInformation;
import io.isrank.estimate.PairSelection;
import io.isrank.estimate.PointwiseExtremes;
import io.isrank.estimate.ScoreSummary;
import io.isrank.estimate.ScoringPlan;
import io.isrank.fit.FitDiagnostics;
import io.isrank.fit.FittedDensities;
import io.isrank.load.EmbeddingSource.Loaded;
import io.isrank.load.EmbeddingSource;
import io.isrank.load.ModelMetadata;
import io.isrank.math.ModelReduction;
import io.isrank.math.Whitening;
import io.isrank.reduce.DimensionSelection;
import io.isrank.reduce.FitSample;
import io.isrank.reduce.Reducer;
import io.isrank.report.Comparison;
import io.isrank.report.History;
import io.isrank.report.HtmlReport;
import io.isrank.report.PairRow;
import io.isrank.report.PointwiseRow;
import io.isrank.ranking.RankTables;
import io.isrank.report.RankingRow;
import io.isrank.report.RunManifest;
import io.isrank.runtime.Redaction;
import io.isrank.runtime.SafeText;
import io.isrank.report.Tables;
import io.isrank.runtime.OutputFolder;
import io.isrank.runtime.Progress;
import io.isrank.runtime.TaskProgress;
import io.isrank.split.Split;
import io.isrank.validate.InputValidation.Validated;
import io.isrank.validate.InputValidation;
import io.isrank.validate.ModelCounts;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The isrank pipeline (DESIGN §3): load → validate and align → split → reduce and whiten → fit →
 * score every direction in one pass → rank → write. Each stage logs its start, end and time, and
 * names its Spark jobs so the Spark UI reads like this list.
 */
public final class Pipeline {
  private static final Logger LOG = LoggerFactory.getLogger("io.isrank");
  private static final String[] STAGES = {"load", "validate", "split", "reduce", "align", "fit", "score", "rank",
      "write"};

  /** How often a long stage logs its task progress. */
  private static final double PROGRESS_SECONDS = 15;

  private final SparkSession spark;
  private final RunConfig cfg;
  /** The rows to rank when given as a DataFrame; null: read input.path. */
  private final Dataset<Row> input;
  private final Map<String, Double> timings = new LinkedHashMap<>();
  private final List<String> warnings = new ArrayList<>();
  private ModelMetadata metadata = ModelMetadata.none();
  private List<DimensionSelection.Choice> dimensionChoices = List.of();
  private boolean[][] mayBeTruncated = new boolean[0][0];

  /**
   * What a finished run produced; {@code fits}: every fitted density, marginals first;
   * {@code comparison}: what changed since the earlier run compared with, or null without one.
   */
  public record Result(String runId, Path output, List<RankingRow> ranking, List<PairRow> pairs,
      Map<String, Double> timings, List<String> warnings, List<FitDiagnostics> fits, Comparison.Result comparison) {}

  private Pipeline(SparkSession spark, RunConfig cfg, Dataset<Row> input) {
    this.spark = spark;
    this.cfg = cfg;
    this.input = input;
  }

  public static Result run(SparkSession spark, RunConfig cfg) {
    return new Pipeline(spark, cfg, null).run();
  }

  /**
   * Runs on rows already in a DataFrame (the long layout: id, model, embedding columns as named by
   * input.*-column) instead of input.path. With output.path empty nothing is written: the
   * result carries the tables.
   */
  public static Result run(SparkSession spark, RunConfig cfg, Dataset<Row> input) {
    return new Pipeline(spark, cfg, java.util.Objects.requireNonNull(input, "input")).run();
  }

  private <T> T stage(String name, String detail, Supplier<T> work) {
    return stage(name, detail, progress -> work.get());
  }

  /** A stage whose work reports rows to its progress log ({@link TaskProgress#countRows}). */
  private <T> T stage(String name, String detail, java.util.function.Function<TaskProgress, T> work) {
    int index = java.util.Arrays.asList(STAGES).indexOf(name) + 1;
    String label = "isrank " + index + "/" + STAGES.length + " " + name;
    String shownDetail = Redaction.text(detail);
    String description = label + ": " + shownDetail;
    spark.sparkContext().setJobDescription(description);
    LOG.info("stage {}/{} {}: {}", index, STAGES.length, name, shownDetail);
    long start = System.nanoTime();
    T result;
    try (TaskProgress progress = TaskProgress.start(spark.sparkContext(), "stage " + index + "/" + STAGES.length
        + " " + name, description, PROGRESS_SECONDS)) {
      result = work.apply(progress);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    timings.merge(name, seconds, Double::sum);
    LOG.info("stage {}/{} {} done in {}", index, STAGES.length, name, Progress.seconds(seconds));
    spark.sparkContext().setJobDescription(null);
    return result;
  }

  private Result run() {
    Instant started = Instant.now();
    String runId = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(started) + "-"
        + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(2);
    org.apache.hadoop.conf.Configuration hadoop = spark.sparkContext().hadoopConfiguration();
    // Never write where the run reads: the output and the history tables stay apart from every input.
    // paths only: a DataFrame or a catalog table is no folder, and the catalog keeps its tables apart
    String inputPath = input == null && !cfg.input().isTable() ? cfg.input().path() : "";
    String historyPath = History.isCatalog(cfg.output().history()) ? "" : cfg.output().history();
    History.check(spark, cfg.output().history());
    OutputFolder.requireApart("history", historyPath, "input", inputPath, hadoop);
    String metadataPath = cfg.input().metadata().equals("none") ? "" : cfg.input().metadata();
    OutputFolder.requireApart("history", historyPath, "model metadata", metadataPath, hadoop);
    // no output folder: a DataFrame caller that wants the tables only (output.path empty)
    OutputFolder out = cfg.output().path().isEmpty() ? null : OutputFolder.open(cfg.output().path(),
        cfg.output().overwrite(), runId, hadoop, OutputFolder.inputs("input", inputPath, "model metadata", metadataPath,
            "history", historyPath));
    if (out != null) {
      warnings.addAll(out.notes());
    }
    // --compare-with is read up front: a wrong folder fails in the first second, not after the run
    Comparison.Baseline given = cfg.output().compareWith().isEmpty() ? null
        : History.ofOutput(spark, cfg.output().compareWith());
    List<Runnable> cached = new ArrayList<>(); // what a finished or failed run releases
    try {
      return execute(runId, started, out, cached, given);
    } catch (Throwable e) { // also Spark's checked exceptions, which Scala code throws undeclared
      if (out != null) {
        out.abandon();
      }
      throw e;
    } finally {
      cached.forEach(Runnable::run);
    }
  }

  private Result execute(String runId, Instant started, OutputFolder out, List<Runnable> cached,
      Comparison.Baseline given) {
    Loaded loaded = input != null
        ? stage("load", "rows of the given DataFrame", () -> EmbeddingSource.of(input, cfg.input()))
        : stage("load", "read " + cfg.input().path(), () -> EmbeddingSource.load(spark, cfg.input()));
    // a DataFrame has no files: its analysed plan stands for its input (same sources, same query)
    String fingerprint = input != null ? "plan:" + input.queryExecution().analyzed().semanticHash()
        : fingerprint(loaded.files());
    Validated v = stage("validate", "check rows, duplicates and alignment by id",
        () -> InputValidation.validate(loaded, cfg.input(), cfg.seed(), cfg.split().fitRows()).requireAccepted());
    cached.add(v::release);
    warnings.addAll(v.warnings());
    List<String> models = v.models();
    int m = models.size();
    PairSelection selection = selection(cfg, models);
    metadata = ModelMetadata.load(spark, cfg.input(), models, warnings);
    if (metadata.source() != null) {
      LOG.info("model metadata from {}: {} of {} models listed", metadata.source(), metadata.byModel().size(), m);
    }
    LOG.info("{} models, {} items aligned across all of them; {} directions from {} joint fits", m, v.aligned(),
        selection.directions().size(), selection.pairs().size());

    int minFitRows = Split.minFitRows(cfg.reduce().auto() ? DimensionSelection.MIN_DIMS : cfg.reduce().dims());
    Split split = stage("split", "fit/evaluation split by hash of (id, seed)",
        () -> Split.of(v.alignedKeys(), cfg.split(), minFitRows));
    int fitPartitions = cfg.split().partitions(split.fitRows());
    int evalPartitions = cfg.split().partitions(split.evalRows());
    LOG.info("split: {} fit rows in {} partitions, {} evaluation rows in {} partitions", split.fitRows(),
        fitPartitions, split.evalRows(), evalPartitions);

    int cap = DimensionSelection.cap(cfg.reduce(), split.fitRows());
    Reducer.Fitted reduced = stage("reduce", (cfg.reduce().gaussianise() ? "normal scores, " : "")
        + "centre, PCA to at most " + cap + " dims and whiten " + m + " models on " + split.fitRows() + " fit rows",
        (TaskProgress progress) -> {
          long[] fitKeys = v.alignedKeys().atMost(split.fitMaxKey());
          // the rows the validation scan kept, or (ids mostly not shared) a read of the input
          boolean floats = io.isrank.load.EmbeddingSource.floats(v.valid());
          FitSample sample = v.fitCandidates().parts(split.fitMaxKey(), fitKeys)
              .map(parts -> FitSample.of(parts, m, floats, fitPartitions))
              .orElseGet(() -> {
                LOG.info("reduce: the fit sample was not kept by the validation scan; reading the input for it");
                return FitSample.of(Reducer.scanFitRows(v.valid(), cfg.seed(), fitKeys), models, fitPartitions);
              });
          Reducer.Fitted f = Reducer.fit(sample, models, cfg.reduce(), cap,
              progress.countRows("fit rows summed into covariances", split.fitRows() * (long) m));
          cached.add(f.sample()::close);
          v.fitCandidates().release(); // the fit rows are summed and persisted: the scan's blocks can go
          return f;
        });
    DimensionSelection.Result chosen = stage("reduce", (cfg.reduce().auto()
        ? "keep the directions that carry information" : "check for truncated information") + " on "
        + DimensionSelection.selectionRows(cfg.reduce(), split.fitRows()) + " fit rows",
        () -> DimensionSelection.choose(spark, reduced.sample(), models,
            models.stream().map(reduced.reductions()::get).toList(), cfg.reduce(), split));
    reduced.sample().close();
    dimensionChoices = chosen.choices();
    mayBeTruncated = chosen.mayBeTruncated();
    List<String> cut = new ArrayList<>();
    for (int a = 0; a < m; a++) {
      for (int b = a + 1; b < m; b++) {
        if (mayBeTruncated[a][b]) {
          cut.add(models.get(a) + " / " + models.get(b));
        }
      }
    }
    if (!cut.isEmpty()) {
      warnings.add("IS may be truncated for " + cut.size() + " of " + m * (m - 1) / 2 + " model pairs ("
          + String.join(", ", cut.subList(0, Math.min(5, cut.size()))) + (cut.size() > 5 ? ", …" : "")
          + "): a cap on the kept directions cut directions that still carry shared information (pairs table, "
          + "may_be_truncated; per model in the ranking's reduction column)");
    }
    Map<String, ModelReduction> reductions = new LinkedHashMap<>();
    Map<String, Whitening> whitenings = new LinkedHashMap<>();
    int[] dims = new int[m];
    for (int i = 0; i < m; i++) {
      ModelReduction r = chosen.reductions().get(i);
      reductions.put(models.get(i), r);
      whitenings.put(models.get(i), r.whitening());
      dims[i] = r.whitening().reducedDim();
      DimensionSelection.Choice c = chosen.choices().get(i);
      LOG.info("model {}: {} dims reduced to {} ({}% of variance): {}", SafeText.printable(models.get(i)),
          c.originalDim(), c.kept(), String.format(java.util.Locale.ROOT, "%.1f", 100 * c.explainedVariance()),
          c.reason());
    }

    Dataset<Row>[] sets = stage("align", "whiten every row and align models by id", () -> {
      Projection.Aligned aligned = Projection.aligned(spark, v.valid(),
          models.stream().map(reductions::get).toList(), models, cfg.seed(),
          Projection.split(split, fitPartitions, evalPartitions));
      // The aligned items as the join left them (a few primitive arrays per partition), kept for
      // the fit and scoring passes, which read them as rows; one job counts both parts.
      aligned.blocks().persist(StorageLevel.MEMORY_AND_DISK());
      cached.add(() -> aligned.blocks().unpersist(false));
      Dataset<Row> fit = Projection.partitions(spark, aligned, 0, fitPartitions);
      Dataset<Row> eval = Projection.partitions(spark, aligned, fitPartitions, fitPartitions + evalPartitions);
      long[] counts = aligned.counts();
      long nf = java.util.Arrays.stream(counts, 0, fitPartitions).sum();
      long ne = java.util.Arrays.stream(counts, fitPartitions, counts.length).sum();
      if (nf != split.fitRows() || ne != split.evalRows()) {
        throw new IllegalStateException("aligned rows changed between passes: fit " + nf + " vs " + split.fitRows()
            + ", eval " + ne + " vs " + split.evalRows() + "; is the input being modified while isrank reads it?");
      }
      @SuppressWarnings("unchecked")
      Dataset<Row>[] pair = new Dataset[] {fit, eval};
      return pair;
    });

    FittedDensities fittedOnly = stage("fit", cfg.estimator().type().key() + " densities: "
        + selection.pairs().size() + " joints and " + countTrue(selection.targets()) + " marginals", () ->
        io.isrank.fit.DensityFitter.of(spark, cfg.estimator(), cfg.mixture(), cfg.seed()).fit(sets[0], models, dims, selection));

    ScoringPlan plan = new ScoringPlan(dims, fittedOnly.marginals(), fittedOnly.joints(), selection.directions(),
        cfg.rank().bootstrap(), cfg.estimator().targetFromJoint());
    io.isrank.score.Scorer.Scored scored = stage("score", "score " + selection.directions().size()
        + " directions on " + split.evalRows() + " held-out rows", () -> io.isrank.score.Scorer.score(spark, sets[1],
        plan, cfg.output().pointwiseTopK()));
    ScoreSummary summary = scored.summary();
    FittedDensities fitted = fittedOnly.withHeldOut(summary);
    LOG.info("held-out log-likelihood of the {} fitted densities: mean {} nats per row (per fit in run.json)",
        fitted.all().size(), String.format(java.util.Locale.ROOT, "%.4f",
            fitted.all().stream().mapToDouble(FitDiagnostics::heldOut).average().orElse(Double.NaN)));
    List<PointwiseRow> pointwise = pointwiseRows(models, selection, scored.extremes());
    double scoreSeconds = timings.get("score");
    LOG.info("scored {} rows × {} directions in {} ({} rows/s)", summary.rows(), selection.directions().size(),
        Progress.seconds(scoreSeconds), Math.round(summary.rows() / Math.max(scoreSeconds, 1e-9)));

    RankTables.Tables tables = stage("rank", "informativeness = median over targets of IS / "
        + cfg.rank().normalisation().key(), () -> new RankTables(cfg.rank(), cfg.estimator()).build(
            new RankTables.Inputs(models, whitenings, split.fitRows(), selection, fitted, summary, mayBeTruncated,
                metadata, dimensionChoices)));
    List<RankingRow> ranking = tables.ranking();
    List<PairRow> pairRows = tables.pairs();

    Comparison.Result comparison = stage("write", out == null ? "compare with the earlier run"
        : "tables, report and run.json to " + out.target(), () -> {
      Comparison.Baseline baseline = given;
      if (baseline == null && !cfg.output().history().isEmpty()) {
        try {
          baseline = History.latest(spark, cfg.output().history(), models);
        } catch (io.isrank.error.IsrankException e) { // the comparison is an extra: the run's results still count
          warnings.add("no comparison with the earlier run: " + e.getMessage());
          LOG.warn("{}", warnings.get(warnings.size() - 1));
        }
      }
      Comparison.Result compared = baseline == null ? null : Comparison.compare(ranking,
          new Comparison.Current(fingerprint, cfg.rank().normalisation().key(), cfg.estimator().type().key()),
          baseline);
      if (compared != null) {
        LOG.info("compared with run {} from the {}: {} models kept, {} added, {} removed; {}", baseline.runId(),
            baseline.source(), compared.count("kept"), compared.count("added"), compared.count("removed"),
            String.join("; ", compared.notes()));
      }
      if (out != null) {
        write(out, runId, started, loaded, fingerprint, v, split, fitPartitions, evalPartitions, whitenings, models,
            fitted, ranking, pairRows, pointwise, compared);
      }
      return compared;
    });
    if (!cfg.output().history().isEmpty()) {
      appendHistory(runId, started, fingerprint, models.size(), ranking, pairRows);
    }
    return new Result(runId, out == null ? null : out.target(), ranking, pairRows,
        java.util.Collections.unmodifiableMap(new LinkedHashMap<>(timings)), List.copyOf(warnings),
        fitted.all(), comparison);
  }

  /**
   * Appends the ranking and pairs to the history tables, all or nothing ({@link History}). Runs
   * after the output folder is in place; a failure here leaves the run's own outputs complete and
   * says so.
   */
  private void appendHistory(String runId, Instant started, String fingerprint, int models, List<RankingRow> ranking,
      List<PairRow> pairs) {
    String date = DateTimeFormatter.ISO_LOCAL_DATE.withZone(ZoneOffset.UTC).format(started);
    History.RunRow run = new History.RunRow(started.toString(), Instant.now().toString(), Versions.isrank(),
        Redaction.text(cfg.input().path()), fingerprint, models, cfg.estimator().type().key(),
        cfg.rank().normalisation().key(), cfg.seed(), Redaction.text(cfg.output().path()));
    try {
      History.append(spark, cfg.output().history(), runId, date, ranking, pairs, run);
    } catch (io.isrank.error.IsrankException e) {
      throw new io.isrank.error.IsrankException((cfg.output().path().isEmpty() ? "the run finished"
          : "the run's outputs are complete in '" + Redaction.text(cfg.output().path()) + "'") + ", but "
          + e.getMessage(), e);
    }
    LOG.info("appended the ranking and pairs to the history tables in {} (run_date {}, run_id {})",
        Redaction.text(cfg.output().history()), date, runId);
  }

  private static int countTrue(boolean[] flags) {
    int n = 0;
    for (boolean f : flags) {
      n += f ? 1 : 0;
    }
    return n;
  }

  /**
   * The directions the run measures, from rank.sources and rank.targets.
   *
   * @throws ConfigException naming an unknown model, or a selection with nothing to measure
   */
  static PairSelection selection(RunConfig cfg, List<String> models) {
    int m = models.size();
    List<Integer> sources = indices("rank.sources", cfg.rank().sources(), models);
    List<Integer> targets = indices("rank.targets", cfg.rank().targets(), models);
    PairSelection selection = PairSelection.of(m, sources, targets);
    if (selection.directions().isEmpty()) {
      throw new ConfigException("rank.sources " + cfg.rank().sources() + " and rank.targets " + cfg.rank().targets()
          + " leave no pair of different models to measure");
    }
    for (int s : sources) {
      if (selection.directions().stream().noneMatch(d -> d.source() == s)) {
        throw new ConfigException("model '" + models.get(s) + "' (rank.sources) has no target other than itself");
      }
    }
    return selection;
  }

  private static List<Integer> indices(String key, List<String> names, List<String> models) {
    if (names.isEmpty()) {
      List<Integer> all = new ArrayList<>();
      for (int i = 0; i < models.size(); i++) {
        all.add(i);
      }
      return all;
    }
    List<Integer> out = new ArrayList<>();
    for (String n : names) {
      int i = models.indexOf(n);
      if (i < 0) {
        throw new ConfigException("option '" + key + "' names model '" + n + "', which is not in the input; models are "
            + models);
      }
      out.add(i);
    }
    return out;
  }

  /** The pointwise table: per direction, the k worst then the k best items. */
  private static List<PointwiseRow> pointwiseRows(List<String> models, PairSelection selection,
      PointwiseExtremes extremes) {
    List<PointwiseRow> rows = new ArrayList<>();
    if (extremes == null) {
      return rows;
    }
    List<Direction> directions = selection.directions();
    for (int i = 0; i < directions.size(); i++) {
      String source = models.get(directions.get(i).source());
      String target = models.get(directions.get(i).target());
      int position = 1;
      for (PointwiseExtremes.Item item : extremes.worst(i)) {
        rows.add(new PointwiseRow(source, target, "worst", position++, item.id(), item.sufficiency()));
      }
      position = 1;
      for (PointwiseExtremes.Item item : extremes.best(i)) {
        rows.add(new PointwiseRow(source, target, "best", position++, item.id(), item.sufficiency()));
      }
    }
    return rows;
  }

  private void write(OutputFolder out, String runId, Instant started, Loaded loaded, String fingerprint, Validated v,
      Split split, int fitPartitions, int evalPartitions, Map<String, Whitening> whitenings, List<String> models,
      FittedDensities fitted, List<RankingRow> ranking, List<PairRow> pairs, List<PointwiseRow> pointwise,
      Comparison.Result comparison) {
    try {
      Path dir = out.temporary();
      Tables.write(spark, out.fileSystem(), dir, "ranking", RankingRow.class, ranking, runId);
      Tables.write(spark, out.fileSystem(), dir, "pairs", PairRow.class, pairs, runId);
      if (cfg.output().pointwiseTopK() > 0) {
        Tables.write(spark, out.fileSystem(), dir, "pointwise", PointwiseRow.class, pointwise, runId);
      }
      if (comparison != null) {
        Tables.write(spark, out.fileSystem(), dir, "comparison", Comparison.Row.class, comparison.rows(), runId);
      }

      Map<String, Map<String, Object>> counts = new LinkedHashMap<>();
      for (ModelCounts c : v.counts().values()) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("rows read", c.rowsRead());
        row.put("dim", c.dim());
        row.put("invalid", c.invalidTotal());
        row.put("invalid, why", c.invalidRows().isEmpty() ? "-" : c.invalidRows().toString());
        row.put("duplicates", c.duplicateRows());
        row.put("conflicting ids", c.conflictingIds());
        row.put("missing elsewhere", c.missingInOtherModels());
        row.put("aligned", c.aligned());
        counts.put(c.model(), row);
      }
      List<String> footer = List.of(
          "run " + runId + " · isrank " + Versions.isrank() + " (" + Versions.commit() + ") · Spark " + spark.version() + " · Java "
              + System.getProperty("java.version") + " · " + System.getProperty("os.name") + " "
              + System.getProperty("os.arch"),
          "input " + Redaction.text(cfg.input().path()) + " (" + loaded.layout() + " layout, " + loaded.files().size() + " files) · seed "
              + cfg.seed() + " · estimator " + cfg.estimator().type().key() + " · p = "
              + (cfg.reduce().auto() ? "auto" : String.valueOf(cfg.reduce().dims()))
              + " · normalisation " + cfg.rank().normalisation().key() + " · " + split.fitRows() + " fit / "
              + split.evalRows() + " evaluation rows");
      writeText(out, new Path(dir, "report.html"), HtmlReport.render("isrank ranking", ranking, pairs, pointwise,
          counts, timings, warnings, Redaction.settings(cfg.resolved()), footer, comparison));

      Map<String, RunManifest.Reduction> reduce = new LinkedHashMap<>();
      for (DimensionSelection.Choice c : dimensionChoices) {
        reduce.put(c.model(), new RunManifest.Reduction(c.originalDim(), c.available(), c.cap(), c.kept(),
            c.explainedVariance(), c.reason()));
      }
      RunManifest.ComparedWith compared = comparison == null ? null : new RunManifest.ComparedWith(
          comparison.baseline().runId(), comparison.baseline().source(), comparison.fingerprintChanged(),
          comparison.comparable(), comparison.count("kept"), comparison.count("added"), comparison.count("removed"),
          comparison.notes());
      RunManifest manifest = new RunManifest(runId, "complete", started.toString(), Instant.now().toString(),
          Versions.isrank(), Versions.commit(), RunManifest.JavaInfo.current(), RunManifest.OsInfo.current(),
          new RunManifest.SparkInfo(spark.version(), Redaction.text(spark.sparkContext().master()),
              spark.sparkContext().applicationId(),
              Redaction.settings(scala.jdk.javaapi.CollectionConverters.asJava(spark.conf().getAll()))),
          cfg.seed(), Redaction.settings(cfg.resolved()),
          new RunManifest.Input(Redaction.text(cfg.input().path()), loaded.layout(), loaded.embeddingTypes(),
              loaded.files().size(), loaded.files().stream().mapToLong(EmbeddingSource.InputFile::bytes).sum(),
              fingerprint),
          models, v.counts(), v.aligned(),
          new RunManifest.SplitInfo(split.fitRows(), split.evalRows(), fitPartitions, evalPartitions),
          reduce, fitted.all(), GaussianInformation.ceilingPerDimension(cfg.estimator().floor()), compared, timings,
          warnings);
      // run.json last: its presence marks a complete output.
      writeText(out, new Path(dir, "run.json"), manifest.toJson());
      out.commit();
    } catch (IOException e) {
      throw new io.isrank.error.IsrankException("writing the outputs to '" + Redaction.text(out.target().toString())
          + "' failed: " + Redaction.text(e.getMessage()), e);
    }
  }

  private static void writeText(OutputFolder out, Path path, String text) throws IOException {
    try (OutputStream os = out.fileSystem().create(path, false)) {
      os.write(text.getBytes(StandardCharsets.UTF_8));
    }
  }

  /** SHA-256 of the sorted (path, size, modification time) list: cheap, and changes when any file does. */
  private static String fingerprint(List<EmbeddingSource.InputFile> files) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      for (EmbeddingSource.InputFile f : files) {
        md.update((f.path() + "\t" + f.bytes() + "\t" + f.modified() + "\n").getBytes(StandardCharsets.UTF_8));
      }
      return "sha256:" + HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
