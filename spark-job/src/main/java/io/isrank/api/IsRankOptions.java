package io.isrank.api;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Options of one ranking called from code: a plain object with chained setters for the settings
 * most calls need, and {@link #set(String, String)} for any other key of conf/defaults.conf (the
 * value as typed on the command line). Unset options keep the documented defaults.
 *
 * <pre>{@code
 * IsRankOptions options = new IsRankOptions().seed(7).models(List.of("e5", "bge", "minilm")).bootstrap(100);
 * }</pre>
 */
public final class IsRankOptions {
  private final Map<String, String> settings = new LinkedHashMap<>();

  /** Name of the item id column (default "id"). */
  public IsRankOptions idColumn(String column) {
    return set("input.id-column", column);
  }

  /** Name of the model column (default "model"). */
  public IsRankOptions modelColumn(String column) {
    return set("input.model-column", column);
  }

  /** Name of the embedding column, an array of float or double (default "embedding"). */
  public IsRankOptions embeddingColumn(String column) {
    return set("input.embedding-column", column);
  }

  /** Rank only these models (default: every model in the data). */
  public IsRankOptions models(List<String> models) {
    return set("input.models", String.join(",", models));
  }

  /** Drop and count invalid rows instead of failing (default false). */
  public IsRankOptions dropInvalid(boolean drop) {
    return set("input.drop-invalid", String.valueOf(drop));
  }

  /** Seed of the fit/evaluation split, mixture starts and bootstrap (default 42). */
  public IsRankOptions seed(long seed) {
    return set("seed", String.valueOf(seed));
  }

  /** Items the densities are fitted on (default 20000). */
  public IsRankOptions fitRows(int rows) {
    return set("split.fit-rows", String.valueOf(rows));
  }

  /** Keep exactly this many whitened directions per model (default: auto). */
  public IsRankOptions reduceDims(int dims) {
    return set("reduce.dims", String.valueOf(dims));
  }

  /** Bootstrap replicates for the intervals; 0 for none (default 200). */
  public IsRankOptions bootstrap(int replicates) {
    return set("rank.bootstrap", String.valueOf(replicates));
  }

  /** "gaussian" (default) or "mixture". */
  public IsRankOptions estimator(String type) {
    return set("estimator.type", type);
  }

  /** IS divisor for the ranking: "dim" (default), "none", "reduced-dim" or "entropy". */
  public IsRankOptions normalisation(String normalisation) {
    return set("rank.normalisation", normalisation);
  }

  /** Also write the usual output folder (tables, report, run.json) there (default: write nothing). */
  public IsRankOptions output(String path) {
    return set("output.path", path);
  }

  /** Append the run to the history tables in this folder, and compare with the history's last run. */
  public IsRankOptions history(String path) {
    return set("output.history", path);
  }

  /**
   * Any key of conf/defaults.conf, e.g. {@code set("reduce.max-dims", "256")}; an unknown key is
   * refused when the ranking starts.
   */
  public IsRankOptions set(String key, String value) {
    settings.put(key, value);
    return this;
  }

  /** The settings given so far, by key. */
  public Map<String, String> settings() {
    return Collections.unmodifiableMap(settings);
  }
}
