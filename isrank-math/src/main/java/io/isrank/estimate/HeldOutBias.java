package io.isrank.estimate;

import io.isrank.math.Mixture;
import org.apache.commons.math3.special.Gamma;

/**
 * How much a density fitted on n rows under-scores new rows: the expected excess of its held-out
 * cross-entropy over the true entropy, in nats per row. isrank scores every density on held-out
 * rows, so each mean log-density is biased down by this much; IS = mean[log p̂(u,v) − log p̂(u) −
 * log p̂(v)] is biased by B(joint) − B(u) − B(v), which is negative and grows as d²/n — with 2p =
 * 128 to 512 joint dimensions and a few thousand fit rows, several nats. Adding the terms back
 * makes the estimates unbiased for Gaussian data at any dimension the rows support.
 *
 * <p><b>Derivation (one Gaussian).</b> Fit N(x̄, S) on n rows of N(μ, Σ) in d dimensions, S the
 * unbiased covariance, so (n−1)S ~ Wishart(Σ, ν = n−1). A new row x is independent of (x̄, S), and
 * x − x̄ ~ N(0, (1 + 1/n) Σ). The held-out cross-entropy is E[−log p̂(x)] = ½ E[d log 2π + log det S
 * + (x − x̄)ᵀ S⁻¹ (x − x̄)], with the Wishart moments
 * <pre>
 *   E[log det S] = log det Σ + Σᵢ₌₁..d ψ((ν − i + 1)/2) + d log(2/ν)
 *   E[S⁻¹]       = ν Σ⁻¹ / (ν − d − 1)
 * </pre>
 * (ψ the digamma function; e.g. Muirhead, Aspects of Multivariate Statistical Theory, 1982, §3.2
 * and Theorem 3.2.12). Subtracting h = ½(d log 2πe + log det Σ):
 * <pre>
 *   B(d, n) = ½ [ Σᵢ₌₁..d ψ((n − i)/2) + d log(2/(n − 1)) + d (n − 1)(1 + 1/n)/(n − d − 2) − d ]
 * </pre>
 * For d = 1 and large n this is 1/n, the familiar (parameters)/(2n); for d = 256 and n = 5,000 it
 * is 3.7 nats. It needs n > d + 2 (below that the held-out score has no finite mean). The
 * covariance floor of the estimator (ε = 1e-4 on the whitened scale) changes it by O(ε d).
 *
 * <p><b>Mixtures.</b> There is no closed form. {@link #of(Mixture, long)} takes each component as
 * a Gaussian fitted on its share of the rows, Σₖ wₖ B(d, wₖ n), plus (k − 1)/(2n) for the weights:
 * exact for well-separated components, an approximation otherwise (documented in
 * docs/calibration.md). For k = 1 it is B(d, n).
 */
public final class HeldOutBias {
  private HeldOutBias() {}

  /**
   * B(d, n) for a Gaussian with estimated mean and covariance, in nats per row.
   *
   * @throws IllegalArgumentException unless d ≥ 1 and n > d + 2
   */
  public static double gaussian(int d, long n) {
    if (d < 1 || n <= d + 2L) {
      throw new IllegalArgumentException("the held-out bias of a " + d + "-dimensional Gaussian fitted on " + n
          + " rows is finite only for d >= 1 and n > d + 2");
    }
    double nu = n - 1.0;
    double digammas = 0;
    for (int i = 1; i <= d; i++) {
      digammas += Gamma.digamma((nu - i + 1) / 2);
    }
    return 0.5 * (digammas + d * Math.log(2 / nu) + d * nu * (1 + 1.0 / n) / (nu - d - 1) - d);
  }

  /**
   * The bias of a mixture fitted on n rows (see the class comment); a component whose share of the
   * rows is below d + 3 counts as fitted on d + 3.
   */
  public static double of(Mixture mixture, long n) {
    int d = mixture.dim();
    int k = mixture.size();
    if (k == 1) {
      return gaussian(d, n);
    }
    double bias = (k - 1) / (2.0 * n);
    for (int c = 0; c < k; c++) {
      double w = mixture.weight(c);
      bias += w * gaussian(d, Math.max(d + 3L, Math.round(w * n)));
    }
    return bias;
  }
}
