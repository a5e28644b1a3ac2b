package io.isrank.job;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException.WrongType;
import io.isrank.error.ConfigException;
import io.isrank.fit.EstimatorConfig;
import io.isrank.fit.EstimatorType;
import io.isrank.fit.MixtureConfig;
import io.isrank.fit.MixtureEngine;
import io.isrank.load.InputSpec;
import io.isrank.ranking.RankConfig;
import io.isrank.rank.Normalisation;
import io.isrank.reduce.ReduceConfig;
import io.isrank.report.OutputSpec;
import io.isrank.split.SplitConfig;
import java.util.Map;
import java.util.TreeMap;

/**
 * The resolved configuration of one run: defaults ({@code conf/defaults.conf}), then config files,
 * then the command line. Immutable; every value is validated here, so the pipeline never sees an
 * out-of-range setting. The keys and their documentation live in {@code conf/defaults.conf}.
 */
public record RunConfig(
    InputSpec input,
    OutputSpec output,
    long seed,
    SplitConfig split,
    ReduceConfig reduce,
    EstimatorConfig estimator,
    MixtureConfig mixture,
    RankConfig rank,
    Map<String, Object> resolved) {

  public RunConfig {
    resolved = java.util.Collections.unmodifiableMap(new TreeMap<>(resolved));
  }

  /**
   * Reads and validates every key; errors name the key, the value and what is allowed.
   * {@code requireOutput} false accepts a missing output.path (the validate command and the
   * DataFrame API may write nothing).
   */
  public static RunConfig from(Config c, boolean requireOutput) {
    try {
      return read(c, requireOutput);
    } catch (WrongType e) {
      throw new ConfigException(e.getMessage().replaceFirst("^[^:]*: ", ""));
    } catch (com.typesafe.config.ConfigException e) {
      throw new ConfigException("configuration: " + e.getMessage());
    }
  }

  private static RunConfig read(Config c, boolean requireOutput) {
    String inputPath = c.getString("input.path").trim();
    ConfigException.check(!inputPath.isEmpty(), "input.path", "\"\"", "the Parquet data set to read (--input PATH)");
    String outputPath = c.getString("output.path").trim();
    ConfigException.check(!outputPath.isEmpty() || !requireOutput, "output.path", "\"\"", "a folder for the outputs (--output PATH)");
    InputSpec input = new InputSpec(inputPath,
        nonBlank(c, "input.id-column"), nonBlank(c, "input.model-column"), nonBlank(c, "input.embedding-column"),
        c.getStringList("input.models"), c.getBoolean("input.drop-invalid"), c.getString("input.metadata").trim(),
        c.getString("input.filter").trim());
    ConfigException.check(!input.isTable() || !input.table().isEmpty(), "input.path", inputPath,
        "a catalog table as table:<database>.<table>");
    ConfigException.check(distinct(input.idColumn(), input.modelColumn(), input.embeddingColumn()),
        "input.*-column", input.idColumn() + ", " + input.modelColumn() + ", " + input.embeddingColumn(),
        "three different column names");
    OutputSpec output = new OutputSpec(outputPath, c.getBoolean("output.overwrite"), c.getString("output.history").trim(),
        intIn(c, "output.pointwise-top-k", 0, 1000), c.getString("output.compare-with").trim());

    SplitConfig split = new SplitConfig(
        intIn(c, "split.fit-rows", 10, 50_000_000),
        longIn(c, "split.eval-rows", 0, Long.MAX_VALUE),
        intIn(c, "split.min-eval-rows", 10, Integer.MAX_VALUE),
        intIn(c, "split.rows-per-partition", 1_000, 10_000_000));
    String dims = String.valueOf(c.getValue("reduce.dims").unwrapped()).trim();
    ReduceConfig reduce = new ReduceConfig(dims.equals("auto") ? ReduceConfig.AUTO : intIn(c, "reduce.dims", 1, 4096),
        intIn(c, "reduce.max-dims", 1, 4096), intIn(c, "reduce.selection-rows", 500, 1_000_000),
        intIn(c, "reduce.rows-per-dim", 3, 1000),
        doubleIn(c, "reduce.min-variance-ratio", 0, 0.1), c.getBoolean("reduce.gaussianise"));

    String type = c.getString("estimator.type");
    EstimatorType estimatorType = switch (type) {
      case "gaussian" -> EstimatorType.GAUSSIAN;
      case "mixture" -> EstimatorType.MIXTURE;
      default -> throw new ConfigException("option 'estimator.type' = " + type
          + " is not allowed: expected gaussian or mixture");
    };
    String target = c.getString("estimator.target-marginal");
    ConfigException.check(target.equals("joint") || target.equals("separate"), "estimator.target-marginal", target,
        "joint or separate");
    EstimatorConfig estimator = new EstimatorConfig(estimatorType, doubleIn(c, "estimator.floor", 1e-12, 1.0),
        target.equals("joint"), c.getBoolean("estimator.bias-correction"));
    ConfigException.check(c.getDouble("estimator.floor") > 0, "estimator.floor", c.getDouble("estimator.floor"),
        "a number > 0");

    String engine = c.getString("mixture.engine");
    MixtureEngine mixtureEngine = switch (engine) {
      case "task" -> MixtureEngine.TASK;
      case "mllib" -> MixtureEngine.MLLIB;
      default -> throw new ConfigException("option 'mixture.engine' = " + engine
          + " is not allowed: expected task or mllib");
    };
    MixtureConfig mixture = new MixtureConfig(mixtureEngine,
        intIn(c, "mixture.k-marginal", 2, 64), intIn(c, "mixture.k-joint", 2, 64),
        intIn(c, "mixture.max-iterations", 1, 10_000), doubleIn(c, "mixture.tolerance", 0, 1e6),
        intIn(c, "mixture.restarts", 1, 100), c.getBoolean("mixture.choose-components"),
        intIn(c, "mixture.parallelism", 1, 256));

    String norm = c.getString("rank.normalisation");
    Normalisation normalisation;
    try {
      normalisation = Normalisation.fromKey(norm);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("option 'rank.normalisation' = " + norm
          + " is not allowed: expected dim, none, reduced-dim or entropy");
    }
    int bootstrap = intIn(c, "rank.bootstrap", 0, 10_000);
    ConfigException.check(bootstrap == 0 || bootstrap >= 20, "rank.bootstrap", bootstrap,
        "0 (no intervals) or at least 20 replicates");
    double confidence = c.getDouble("rank.confidence");
    ConfigException.check(confidence > 0 && confidence < 1, "rank.confidence", confidence, "a number in (0, 1)");
    RankConfig rank = new RankConfig(normalisation, c.getStringList("rank.sources"), c.getStringList("rank.targets"),
        bootstrap, confidence);

    Map<String, Object> resolved = new TreeMap<>();
    c.entrySet().forEach(e -> resolved.put(e.getKey(), e.getValue().unwrapped()));
    return new RunConfig(input, output, exactLong(c, "seed"), split, reduce, estimator, mixture, rank, resolved);
  }

  private static boolean distinct(String a, String b, String c) {
    return !a.equals(b) && !b.equals(c) && !a.equals(c);
  }

  private static String nonBlank(Config c, String key) {
    String v = c.getString(key).trim();
    ConfigException.check(!v.isEmpty(), key, "\"\"", "a column name");
    return v;
  }

  /**
   * The key's value as a long, exactly: HOCON's getLong turns 1e30 or 99999999999999999999 into
   * Long.MAX_VALUE and 2.5 into 2; a run must use the number asked for or refuse it.
   */
  static long exactLong(Config c, String key) {
    Object raw = c.getValue(key).unwrapped();
    String text = String.valueOf(raw).trim();
    try {
      return new java.math.BigDecimal(text).longValueExact();
    } catch (NumberFormatException | ArithmeticException e) {
      throw new ConfigException("option '" + key + "' = " + text + " is not allowed: expected an integer from "
          + Long.MIN_VALUE + " to " + Long.MAX_VALUE + " (it is never rounded or clamped)");
    }
  }

  private static int intIn(Config c, String key, int min, int max) {
    long v = exactLong(c, key);
    ConfigException.check(v >= min && v <= max, key, v, "an integer from " + min + " to " + max
        + (key.equals("reduce.dims") ? ", or auto" : ""));
    return (int) v;
  }

  private static long longIn(Config c, String key, long min, long max) {
    long v = exactLong(c, key);
    ConfigException.check(v >= min && v <= max, key, v, "an integer from " + min + " to " + max);
    return v;
  }

  private static double doubleIn(Config c, String key, double min, double max) {
    double v = c.getDouble(key);
    ConfigException.check(v >= min && v <= max && Double.isFinite(v), key, v, "a number from " + min + " to " + max);
    return v;
  }
}
