package io.isrank.fit;

import io.isrank.estimate.JointDensity;
import io.isrank.estimate.ScoreSummary;
import io.isrank.math.Mixture;
import java.util.List;

/**
 * The fitted densities of a run: a marginal per target model (null for a model that is no
 * target), a joint per needed pair, and how each was fitted.
 *
 * @param marginalDiagnostics per model, null where no marginal was fitted
 * @param jointDiagnostics    per pair, same order as {@code joints}
 */
public record FittedDensities(Mixture[] marginals, List<JointDensity> joints, FitDiagnostics[] marginalDiagnostics,
    List<FitDiagnostics> jointDiagnostics) {
  /** Every fit's diagnostics: the marginals (in model order), then the joints. */
  public List<FitDiagnostics> all() {
    List<FitDiagnostics> all = new java.util.ArrayList<>();
    for (FitDiagnostics d : marginalDiagnostics) {
      if (d != null) {
        all.add(d);
      }
    }
    all.addAll(jointDiagnostics);
    return List.copyOf(all);
  }

  /**
   * The same densities with each fit's held-out log-likelihood (mean log-density per scoring row)
   * in its diagnostics.
   */
  public FittedDensities withHeldOut(ScoreSummary summary) {
    FitDiagnostics[] m = marginalDiagnostics.clone();
    for (int i = 0; i < m.length; i++) {
      if (m[i] != null) {
        m[i] = m[i].withHeldOut(summary.logMarginal(i));
      }
    }
    List<FitDiagnostics> j = new java.util.ArrayList<>();
    for (int p = 0; p < jointDiagnostics.size(); p++) {
      j.add(jointDiagnostics.get(p).withHeldOut(summary.logJoint(p)));
    }
    return new FittedDensities(marginals, joints, m, List.copyOf(j));
  }
}
