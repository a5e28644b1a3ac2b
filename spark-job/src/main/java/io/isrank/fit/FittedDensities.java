package io.isrank.fit;

import io.isrank.estimate.JointDensity;
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
    List<FitDiagnostics> jointDiagnostics) {}
