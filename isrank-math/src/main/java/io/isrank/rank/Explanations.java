package io.isrank.rank;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Why a model ranks where it does, from the matrix of normalised sufficiencies: which targets it
 * simulates best and worst, which model simulates it best, on how many targets it beats the
 * median source, its group of models carrying similar information, and one sentence that says it.
 */
public final class Explanations {
  private Explanations() {}

  /**
   * One model's explanation.
   *
   * @param strongestTarget the target it simulates best (highest normalised IS), or null
   * @param weakestTarget the target it simulates worst, or null
   * @param bestSimulator the source that simulates it best, or null when it is no target
   * @param aboveMedian targets on which its IS exceeds the median IS of all sources onto that target
   * @param targets targets measured
   * @param group its group number (0-based)
   * @param sentence the explanation in words
   */
  public record Explanation(String strongestTarget, String weakestTarget, String bestSimulator, int aboveMedian,
      int targets, int group, String sentence) {}

  /**
   * The symmetrised similarity (mean of both directions; one direction when only one is
   * measured, 0 when neither is) for {@link ModelGroups}.
   */
  public static double[][] similarity(double[][] normalised) {
    int m = normalised.length;
    double[][] s = new double[m][m];
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < m; j++) {
        if (i == j) {
          continue;
        }
        double a = normalised[i][j];
        double b = normalised[j][i];
        s[i][j] = Double.isNaN(a) ? (Double.isNaN(b) ? 0 : b) : Double.isNaN(b) ? a : (a + b) / 2;
      }
    }
    return s;
  }

  /** Groups from the IS matrix: a boundary is a drop of at least 10% of the largest similarity (and 0.01). */
  public static int[] groups(double[][] normalised) {
    double[][] s = similarity(normalised);
    double max = 0;
    for (double[] row : s) {
      for (double v : row) {
        max = Math.max(max, v);
      }
    }
    return ModelGroups.groups(s, Math.max(0.1 * max, 0.01));
  }

  /**
   * @param models model names (matrix order)
   * @param ranks rank per model (1 = best), 0 for a model that is no source
   * @param normalised normalised IS(source → target), NaN where not measured
   * @param groups group per model
   * @param costNotes a phrase per model about cost (e.g. "on the cost front for ms per item"), or null
   */
  public static List<Explanation> explain(List<String> models, int[] ranks, double[][] normalised, int[] groups,
      String[] costNotes) {
    int m = models.size();
    double[] targetMedian = new double[m];
    for (int t = 0; t < m; t++) {
      List<Double> col = new ArrayList<>();
      for (int s = 0; s < m; s++) {
        if (s != t && !Double.isNaN(normalised[s][t])) {
          col.add(normalised[s][t]);
        }
      }
      targetMedian[t] = col.isEmpty() ? Double.NaN : Statistics.median(col.stream().mapToDouble(x -> x).toArray());
    }
    int sources = 0;
    for (int r : ranks) {
      sources += r > 0 ? 1 : 0;
    }
    double[][] similarity = similarity(normalised);
    List<Explanation> out = new ArrayList<>();
    for (int u = 0; u < m; u++) {
      int strongest = -1;
      int weakest = -1;
      int above = 0;
      int targets = 0;
      for (int t = 0; t < m; t++) {
        double v = normalised[u][t];
        if (t == u || Double.isNaN(v)) {
          continue;
        }
        targets++;
        if (strongest < 0 || v > normalised[u][strongest]) {
          strongest = t;
        }
        if (weakest < 0 || v < normalised[u][weakest]) {
          weakest = t;
        }
        if (v > targetMedian[t]) {
          above++;
        }
      }
      int simulator = -1;
      for (int s = 0; s < m; s++) {
        if (s != u && !Double.isNaN(normalised[s][u]) && (simulator < 0 || normalised[s][u] > normalised[simulator][u])) {
          simulator = s;
        }
      }
      List<String> mates = new ArrayList<>();
      for (int o = 0; o < m; o++) {
        if (o != u && groups[o] == groups[u]) {
          mates.add(models.get(o));
        }
      }
      StringBuilder s = new StringBuilder();
      if (ranks[u] > 0) {
        s.append("ranked ").append(ordinal(ranks[u])).append(" of ").append(sources);
        s.append(String.format(Locale.ROOT, ": simulates %d of %d models better than the median source", above,
            targets));
        if (strongest >= 0) {
          s.append(String.format(Locale.ROOT, "; strongest on %s (%.3f), weakest on %s (%.3f)",
              models.get(strongest), normalised[u][strongest], models.get(weakest), normalised[u][weakest]));
        }
      } else {
        s.append("not ranked (no targets measured from it)");
      }
      if (simulator >= 0) {
        s.append("; best simulated by ").append(models.get(simulator));
      }
      s.append(mates.isEmpty() ? alone(models, similarity, u) : "; carries information similar to "
          + String.join(", ", mates));
      if (costNotes != null && costNotes[u] != null && !costNotes[u].isEmpty()) {
        s.append("; ").append(costNotes[u]);
      }
      out.add(new Explanation(strongest < 0 ? null : models.get(strongest), weakest < 0 ? null : models.get(weakest),
          simulator < 0 ? null : models.get(simulator), above, targets, groups[u], s.toString()));
    }
    return out;
  }

  /** A model's largest similarity counts as "little" below this fraction of the matrix's largest. */
  static final double LITTLE = 0.1;

  /**
   * What to say of a model alone in its group, checked against the matrix: "shares little
   * information" only when its strongest pair is below {@link #LITTLE} of the strongest pair of
   * all. Otherwise the clustering's cut left it alone although it shares information with some model
   * (a cut at the largest drop can do that), and the sentence names that model and the share.
   */
  static String alone(List<String> models, double[][] similarity, int u) {
    double max = 0;
    for (double[] row : similarity) {
      for (double v : row) {
        max = Math.max(max, v);
      }
    }
    int partner = -1;
    for (int o = 0; o < similarity.length; o++) {
      if (o != u && (partner < 0 || similarity[u][o] > similarity[u][partner])) {
        partner = o;
      }
    }
    if (partner < 0 || max <= 0 || similarity[u][partner] < LITTLE * max) {
      return "; shares little information with the others (a group of its own)";
    }
    return String.format(Locale.ROOT, "; a group of its own at the clustering's cut, though it shares "
        + "information with %s (%.3f, %.0f%% of the strongest pair)", models.get(partner), similarity[u][partner],
        100 * similarity[u][partner] / max);
  }

  /** 1st, 2nd, 3rd, 4th, ..., 11th, 12th, 13th, 21st. */
  static String ordinal(int n) {
    int h = n % 100;
    String suffix = h >= 11 && h <= 13 ? "th" : switch (n % 10) {
      case 1 -> "st";
      case 2 -> "nd";
      case 3 -> "rd";
      default -> "th";
    };
    return n + suffix;
  }
}
