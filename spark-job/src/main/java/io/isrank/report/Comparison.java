package io.isrank.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What changed between an earlier run (the baseline) and this one: per model its rank then and
 * now, the change in informativeness with an interval, and models added or removed; plus whether
 * the input and the settings that give informativeness its unit are the same. Pure: the baseline
 * comes from the history tables or an earlier output folder ({@link History}).
 *
 * <p>The change's interval: the two runs' estimates are independent (different runs, seeds or
 * data), so the half-widths of their intervals add in quadrature, as for the difference of two
 * independent normal estimates: Δ ± √(h₁² + h₂²), with h = (upper − lower) / 2 of each run's
 * bootstrap interval. A change is "beyond uncertainty" when that interval excludes 0; without
 * intervals in either run (rank.bootstrap = 0) nothing is claimed.
 */
public final class Comparison {
  /** One model of the baseline run's ranking. */
  public record Entry(String model, int rank, double informativeness, Double lower, Double upper) {}

  /**
   * The earlier run. {@code source} says where it was read ("history table …" or "output folder
   * …"); {@code normalisation} and {@code estimator} are its rank.normalisation and estimator
   * keys (null when unknown).
   */
  public record Baseline(String runId, String finished, String source, String fingerprint, String normalisation,
      String estimator, List<Entry> ranking) {}

  /** The settings of this run that a comparison must match. */
  public record Current(String fingerprint, String normalisation, String estimator) {}

  /**
   * One row of the {@code comparison} table. {@code status}: "kept", "added" (not in the
   * baseline) or "removed" (only in the baseline). {@code rankMove} is positive for a model that
   * moved up (previous rank − rank). {@code change}: "up", "down" (beyond uncertainty), "within
   * uncertainty", "no interval" or null when not comparable.
   */
  public record Row(String model, String status, Integer rank, Integer previousRank, Integer rankMove,
      Double informativeness, Double previousInformativeness, Double delta, Double deltaLower, Double deltaUpper,
      String change) {}

  /** The baseline, the rows (this run's rank order, then removed models) and notes for the reader. */
  public record Result(Baseline baseline, boolean fingerprintChanged, boolean comparable, List<Row> rows,
      List<String> notes) {
    public long count(String status) {
      return rows.stream().filter(r -> r.status().equals(status)).count();
    }
  }

  private Comparison() {}

  public static Result compare(List<RankingRow> ranking, Current current, Baseline baseline) {
    List<String> notes = new ArrayList<>();
    boolean fingerprintChanged = !Objects.equals(current.fingerprint(), baseline.fingerprint());
    notes.add(fingerprintChanged
        ? "the input changed since that run (its files, sizes or modification times differ)"
        : "the input is the same files as in that run");
    boolean comparable = true;
    if (baseline.normalisation() != null && !baseline.normalisation().equals(current.normalisation())) {
      comparable = false;
      notes.add("rank.normalisation was " + baseline.normalisation() + " and is now " + current.normalisation()
          + ": informativeness has another unit, so only ranks are compared");
    }
    if (baseline.estimator() != null && !baseline.estimator().equals(current.estimator())) {
      notes.add("the estimator was " + baseline.estimator() + " and is now " + current.estimator()
          + ": part of any change comes from the estimator");
    }
    Map<String, Entry> before = new LinkedHashMap<>();
    for (Entry e : baseline.ranking()) {
      before.put(e.model(), e);
    }
    List<Row> rows = new ArrayList<>();
    for (RankingRow r : ranking) {
      Entry e = before.remove(r.model());
      if (e == null) {
        rows.add(new Row(r.model(), "added", r.rank(), null, null, r.informativeness(), null, null, null, null,
            null));
        continue;
      }
      Double delta = null;
      Double lo = null;
      Double hi = null;
      String change = null;
      if (comparable) {
        delta = r.informativeness() - e.informativeness();
        if (r.lower() != null && e.lower() != null) {
          double h1 = (r.upper() - r.lower()) / 2;
          double h2 = (e.upper() - e.lower()) / 2;
          double half = Math.sqrt(h1 * h1 + h2 * h2);
          lo = delta - half;
          hi = delta + half;
          change = lo > 0 ? "up" : hi < 0 ? "down" : "within uncertainty";
        } else {
          change = "no interval";
        }
      }
      rows.add(new Row(r.model(), "kept", r.rank(), e.rank(), e.rank() - r.rank(), r.informativeness(),
          e.informativeness(), delta, lo, hi, change));
    }
    for (Entry e : before.values()) {
      rows.add(new Row(e.model(), "removed", null, e.rank(), null, null, e.informativeness(), null, null, null,
          null));
    }
    if (rows.stream().anyMatch(r -> !r.status().equals("kept"))) {
      notes.add("the set of models changed, and informativeness is a median over the other models, so part of each "
          + "change comes from the targets added or removed, not from the model itself");
    }
    return new Result(baseline, fingerprintChanged, comparable, rows, notes);
  }
}
