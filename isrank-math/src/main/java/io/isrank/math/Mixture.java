package io.isrank.math;

import java.io.Serializable;
import java.util.Arrays;

/**
 * A Gaussian mixture density p(x) = Σₖ wₖ N(x; μₖ, Σₖ), immutable.
 *
 * <p>Components have no fixed order: compare mixtures after {@link #sortedByWeight()}.
 */
public final class Mixture implements Serializable {
  private static final long serialVersionUID = 1L;

  private final double[] weights;
  private final double[] logWeights;
  private final Gaussian[] components;

  private Mixture(double[] weights, Gaussian[] components) {
    this.weights = weights;
    this.components = components;
    this.logWeights = new double[weights.length];
    for (int k = 0; k < weights.length; k++) {
      logWeights[k] = Math.log(weights[k]);
    }
  }

  /**
   * A mixture of the given components. Weights must be positive and finite; they are normalised
   * to sum to one (MLlib's sum to one up to round-off).
   */
  public static Mixture of(double[] weights, Gaussian[] components) {
    if (weights.length == 0 || weights.length != components.length) {
      throw new IllegalArgumentException("a mixture needs as many weights as components (>= 1); got "
          + weights.length + " weights and " + components.length + " components");
    }
    double total = 0;
    for (double w : weights) {
      if (!(w > 0) || !Double.isFinite(w)) {
        throw new IllegalArgumentException("mixture weight " + w + " is not positive and finite");
      }
      total += w;
    }
    int d = components[0].dim();
    double[] normalised = new double[weights.length];
    for (int k = 0; k < weights.length; k++) {
      if (components[k].dim() != d) {
        throw new IllegalArgumentException("component " + k + " has dimension " + components[k].dim()
            + ", component 0 has " + d);
      }
      normalised[k] = weights[k] / total;
    }
    return new Mixture(normalised, components.clone());
  }

  /** The one-component mixture: the Gaussian itself. */
  public static Mixture single(Gaussian gaussian) {
    return new Mixture(new double[] {1.0}, new Gaussian[] {gaussian});
  }

  public int dim() {
    return components[0].dim();
  }

  public int size() {
    return weights.length;
  }

  public double weight(int k) {
    return weights[k];
  }

  public Gaussian component(int k) {
    return components[k];
  }

  /** log p(x); allocates, so prefer the three-argument form in loops. */
  public double logDensity(double[] x) {
    if (x.length != dim()) {
      throw new IllegalArgumentException("point has dimension " + x.length + ", mixture has " + dim());
    }
    return logDensity(x, null, new double[workSize()]);
  }

  /**
   * log p([a; b]) ({@code b} null: x = a), by log-sum-exp over components.
   *
   * @param work scratch array of length at least {@link #workSize()}
   */
  public double logDensity(double[] a, double[] b, double[] work) {
    int n = components.length;
    if (n == 1) {
      return components[0].logDensity(a, b, work);
    }
    int d = dim();
    for (int k = 0; k < n; k++) {
      work[d + k] = logWeights[k] + components[k].logDensity(a, b, work);
    }
    return LogSumExp.of(work, d, 1, n);
  }

  /** Scratch space {@link #logDensity(double[], double[], double[])} needs. */
  int workSize() {
    return dim() + components.length;
  }

  /**
   * The marginal of coordinates {@code [from, to)}: the marginal of a Gaussian mixture is the
   * mixture of the components' marginals with the same weights, ∫ Σₖ wₖ N(x; μₖ, Σₖ) dx_rest =
   * Σₖ wₖ N(x_block; μₖ[block], Σₖ[block, block]). No refit.
   */
  public Mixture marginal(int from, int to) {
    Gaussian[] marginals = new Gaussian[components.length];
    for (int k = 0; k < components.length; k++) {
      marginals[k] = components[k].marginal(from, to);
    }
    return new Mixture(weights.clone(), marginals);
  }

  /** The same mixture with components in decreasing weight (ties: by first mean coordinate). */
  Mixture sortedByWeight() {
    Integer[] order = new Integer[components.length];
    for (int k = 0; k < order.length; k++) {
      order[k] = k;
    }
    Arrays.sort(order, (x, y) -> {
      int c = Double.compare(weights[y], weights[x]);
      return c != 0 ? c : Double.compare(components[x].mean()[0], components[y].mean()[0]);
    });
    double[] w = new double[order.length];
    Gaussian[] g = new Gaussian[order.length];
    for (int k = 0; k < order.length; k++) {
      w[k] = weights[order[k]];
      g[k] = components[order[k]];
    }
    return new Mixture(w, g);
  }
}
