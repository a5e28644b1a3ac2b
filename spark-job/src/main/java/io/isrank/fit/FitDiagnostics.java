package io.isrank.fit;

/**
 * How one density was fitted, for run.json and the pairs table.
 *
 * @param density       "marginal &lt;model&gt;" or "joint &lt;model&gt; × &lt;model&gt;"
 * @param components    k
 * @param iterations    EM iterations of the run that gave the mixture (0 for the closed-form Gaussian fit)
 * @param logLikelihood total log-likelihood of the fit sample under the fit, nats
 * @param converged     whether EM stopped on its tolerance rather than the iteration cap
 * @param seconds       wall time of this fit alone (EM engines: its task; gaussian: reading its
 *                      blocks off the shared sums and factorising them — the one pass over the fit
 *                      rows that all gaussian fits share is the fit stage's time in run.json)
 * @param work          EM iterations over every restart and candidate number of components (the
 *                      fit's cost; equals {@code iterations} when there was one run)
 * @param heldOut       mean log-density of the held-out (scoring) rows under the fit, nats per row;
 *                      NaN until the scoring pass has measured it
 * @param heldOutError  its standard error (NaN until measured)
 */
public record FitDiagnostics(String density, int components, int iterations, double logLikelihood, boolean converged,
    double seconds, int work, double heldOut, double heldOutError) {
  /** The same diagnostics with the held-out log-density the scoring pass measured. */
  public FitDiagnostics withHeldOut(io.isrank.estimate.Moments logDensity) {
    return new FitDiagnostics(density, components, iterations, logLikelihood, converged, seconds, work,
        logDensity.mean(), logDensity.standardError());
  }
}
