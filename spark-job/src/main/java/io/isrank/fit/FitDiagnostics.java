package io.isrank.fit;

/**
 * How one density was fitted, for run.json and the pairs table.
 *
 * @param density       "marginal(m)" or "joint(a, b)"
 * @param components    k
 * @param iterations    EM iterations (0 for the closed-form Gaussian fit)
 * @param logLikelihood total log-likelihood of the fit sample under the fit, nats
 * @param converged     whether EM stopped on its tolerance rather than the iteration cap
 * @param seconds       wall time of the fit
 */
public record FitDiagnostics(String density, int components, int iterations, double logLikelihood, boolean converged,
    double seconds) {}
