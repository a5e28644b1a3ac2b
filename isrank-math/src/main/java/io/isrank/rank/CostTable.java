package io.isrank.rank;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The cost side of the ranking table, for models in rank order: each cost's values (null where
 * the model metadata says nothing), whether each model is on the Pareto front of informativeness
 * vs that cost ({@link CostAware#paretoFront}), its efficiency (informativeness per unit of cost,
 * {@link CostAware#efficiency}), and the sentence the explanations use for the one cost they speak
 * of.
 */
public final class CostTable {
  /** The costs, in the ranking table's column order. */
  public enum Cost {
    /** The embedding's dimension (always known); efficiency per dimension. */
    DIM("dimension", 1),
    /** Parameter count; efficiency per million parameters. */
    PARAMETERS("parameter count", 1e-6),
    /** Inference milliseconds per item on one core; efficiency per millisecond. */
    MS_PER_ITEM("ms per item", 1),
    /** Size of the weights in bytes; efficiency per megabyte. */
    MODEL_BYTES("model size", 1e-6),
    /** Memory footprint when serving, bytes; efficiency per megabyte. */
    MEMORY_BYTES("memory footprint", 1e-6);

    private final String label;
    private final double unit;

    Cost(String label, double unit) {
      this.label = label;
      this.unit = unit;
    }

    /** How the cost is named in sentences ("ms per item"). */
    public String label() {
      return label;
    }
  }

  /** The cost the explanations speak of: the first of these any model has, else the dimension. */
  static final List<Cost> EXPLAINED_PREFERENCE = List.of(Cost.MS_PER_ITEM, Cost.PARAMETERS, Cost.MODEL_BYTES,
      Cost.MEMORY_BYTES);

  private final List<String> models;
  private final double[] informativeness;
  private final Map<Cost, Double[]> values = new EnumMap<>(Cost.class);
  private final Map<Cost, Boolean[]> fronts = new EnumMap<>(Cost.class);

  /**
   * @param models          names in rank order
   * @param informativeness each model's informativeness, same order
   * @param values          per cost, each model's value (null = unknown), same order; a cost left
   *                        out is unknown for every model
   */
  public CostTable(List<String> models, double[] informativeness, Map<Cost, Double[]> values) {
    this.models = List.copyOf(models);
    this.informativeness = informativeness.clone();
    for (Cost c : Cost.values()) {
      Double[] v = values.getOrDefault(c, new Double[models.size()]).clone();
      if (v.length != models.size()) {
        throw new IllegalArgumentException(c + ": " + v.length + " values for " + models.size() + " models");
      }
      this.values.put(c, v);
      this.fronts.put(c, CostAware.paretoFront(this.informativeness, v));
    }
  }

  public Double value(Cost c, int model) {
    return values.get(c)[model];
  }

  public Boolean onFront(Cost c, int model) {
    return fronts.get(c)[model];
  }

  /** Informativeness (negative counted as 0) per unit of the cost; null when the cost is unknown. */
  public Double efficiency(Cost c, int model) {
    Double v = value(c, model);
    return CostAware.efficiency(informativeness[model], v == null ? null : v * c.unit);
  }

  /** The cost the explanations speak of (see {@link #EXPLAINED_PREFERENCE}). */
  public Cost explained() {
    for (Cost c : EXPLAINED_PREFERENCE) {
      if (Arrays.stream(values.get(c)).anyMatch(Objects::nonNull)) {
        return c;
      }
    }
    return Cost.DIM;
  }

  /**
   * The explanation's words on cost for a model: on the front, dominated (and by which model),
   * or the cost unknown.
   */
  public String note(int model) {
    Cost c = explained();
    Double v = value(c, model);
    if (v == null) {
      return c.label + " unknown";
    }
    if (Boolean.TRUE.equals(onFront(c, model))) {
      return "on the Pareto front of informativeness vs " + c.label + " (" + text(v) + ")";
    }
    int by = CostAware.dominatedBy(informativeness, values.get(c), model);
    return "dominated on " + c.label + " (" + text(v) + ") by " + models.get(by);
  }

  /** A cost as a sentence shows it: whole numbers plain, large ones in three significant digits. */
  static String text(double v) {
    if (v >= 1e6) {
      return String.format(Locale.ROOT, "%.3g", v);
    }
    return v == Math.rint(v) ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.3g", v);
  }
}
