package io.isrank.math;

import io.isrank.error.EstimationException;
import io.isrank.math.GaussianMixtureEm.Data;
import java.util.Arrays;

/**
 * The numeric steps of EM on flat row-major data: closed-form log-likelihoods from moments, the
 * E-step (responsibilities through {@link MixtureKernel}), the M-step (weights, means and
 * scatters by rank-4 updates, the heaviest component's scatter as the total minus the others'),
 * and the single Gaussian (k = 1) in closed form.
 */
final class EmSteps {
  private EmSteps() {}

  /**
   * Σ_i log N(x_i; μ, Σ) over the rows of {@code data}, from their count, mean m and scatter S
   * about m alone, with no pass over the rows:
   * <pre>
   *   Σ_i (x_i − μ)ᵀ Σ⁻¹ (x_i − μ) = tr(Σ⁻¹ S) + n (m − μ)ᵀ Σ⁻¹ (m − μ),
   * </pre>
   * both terms through W = L⁻¹ (Σ⁻¹ = WᵀW): tr(W S Wᵀ) and n ‖W (m − μ)‖².
   */
  static double totalLogDensity(Gaussian g, Data data) {
    int d = data.d;
    double[] w = g.inverseFactor();
    double[] mu = g.meanView();
    double[] s = data.scatter();
    double[] full = new double[d * d];
    for (int a = 0; a < d; a++) {
      for (int b = a; b < d; b++) {
        full[a * d + b] = s[a * d + b];
        full[b * d + a] = s[a * d + b];
      }
    }
    double trace = 0;
    double offset = 0;
    double[] ws = new double[d];
    for (int r = 0; r < d; r++) {
      // row r of W times S (W is zero right of the diagonal), then its product with row r of W
      java.util.Arrays.fill(ws, 0);
      double wm = 0;
      for (int a = 0; a <= r; a++) {
        double v = w[r * d + a];
        wm += v * (data.centre[a] - mu[a]);
        for (int b = 0; b < d; b++) {
          ws[b] += v * full[a * d + b];
        }
      }
      for (int b = 0; b <= r; b++) {
        trace += ws[b] * w[r * d + b];
      }
      offset += wm * wm;
    }
    return data.n * g.logNormaliser() - 0.5 * (trace + data.n * offset);
  }

  /**
   * The scatter about {@code centre} of the union of two row sets, from each one's own mean and
   * scatter: S = Σ_p [S_p + n_p (m_p − c)(m_p − c)ᵀ] (upper triangle).
   */
  static double[] pooledScatter(double[] centre, Data first, Data second) {
    int d = centre.length;
    double[] s = new double[d * d];
    for (Data part : new Data[] {first, second}) {
      double[] sp = part.scatter();
      for (int a = 0; a < d; a++) {
        double da = part.centre[a] - centre[a];
        for (int b = a; b < d; b++) {
          s[a * d + b] += sp[a * d + b] + part.n * da * (part.centre[b] - centre[b]);
        }
      }
    }
    return s;
  }

  /** The sample Gaussian (maximum likelihood: divides by n) with the floor. */
  static Mixture single(Data data, double floor) {
    double[] s = data.scatter();
    int d = data.d;
    double[][] cov = new double[d][d];
    for (int a = 0; a < d; a++) {
      for (int b = a; b < d; b++) {
        cov[a][b] = s[a * d + b] / data.n;
        cov[b][a] = cov[a][b];
      }
    }
    return Mixture.single(Gaussian.of(data.centre, cov, floor));
  }

  /**
   * E-step: fills r_jk (when {@code resp}, indexed [component][row], is not null) and returns the
   * total log-likelihood, with the mixture's kernel ({@link MixtureKernel#of}) already built.
   */
  static double expect(Data data, MixtureKernel kernel, double[][] resp) {
    int n = data.n;
    int d = data.d;
    int k = kernel.size();
    double total = 0;
    if (resp == null) {
      double[] out = new double[MixtureKernel.BLOCK];
      for (int start = 0; start < n; start += MixtureKernel.BLOCK) {
        int count = Math.min(MixtureKernel.BLOCK, n - start);
        kernel.logDensities(data.x, start * d, d, count, out, 0);
        for (int r = 0; r < count; r++) {
          total += out[r];
        }
      }
      return total;
    }
    for (int start = 0; start < n; start += MixtureKernel.BLOCK) {
      int count = Math.min(MixtureKernel.BLOCK, n - start);
      kernel.componentLogTerms(data.x, start * d, d, count, resp, start);
      for (int i = start; i < start + count; i++) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < k; j++) {
          max = Math.max(max, resp[j][i]);
        }
        double sum = 0;
        for (int j = 0; j < k; j++) {
          double e = Math.exp(resp[j][i] - max);
          resp[j][i] = e;
          sum += e;
        }
        double inverse = 1.0 / sum;
        for (int j = 0; j < k; j++) {
          resp[j][i] *= inverse;
        }
        total += max + Math.log(sum);
      }
    }
    return total;
  }

  /** M-step from responsibilities [component][row]; drops components with mass below {@link GaussianMixtureEm#MIN_MASS}. */
  static Mixture maximise(Data data, double[][] resp, double floor) {
    int n = data.n;
    int d = data.d;
    int k = resp.length;
    double[] y = data.centred();
    double[] mass = new double[k];
    int heaviest = 0;
    boolean dropped = false;
    for (int j = 0; j < k; j++) {
      double m = 0;
      for (int i = 0; i < n; i++) {
        m += resp[j][i];
      }
      mass[j] = m;
      if (m > mass[heaviest]) {
        heaviest = j;
      }
      dropped |= m < GaussianMixtureEm.MIN_MASS;
    }
    double[][] scatter = new double[k][];
    double[][] offset = new double[k][];
    for (int j = 0; j < k; j++) {
      if (mass[j] < GaussianMixtureEm.MIN_MASS) {
        continue;
      }
      double[] r = resp[j];
      double[] mu = new double[d];
      for (int i = 0; i < n; i++) {
        double w = r[i];
        if (w != 0) {
          int o = i * d;
          for (int a = 0; a < d; a++) {
            mu[a] += w * y[o + a];
          }
        }
      }
      for (int a = 0; a < d; a++) {
        mu[a] /= mass[j];
      }
      offset[j] = mu;
      if (j != heaviest || dropped) {
        scatter[j] = new double[d * d];
        addScatter(y, n, d, r, scatter[j]);
      }
    }
    if (!dropped) {
      double[] rest = data.scatter().clone();
      for (int j = 0; j < k; j++) {
        if (j != heaviest) {
          double[] sj = scatter[j];
          for (int a = 0; a < d; a++) {
            for (int b = a; b < d; b++) {
              rest[a * d + b] -= sj[a * d + b];
            }
          }
        }
      }
      scatter[heaviest] = rest;
    }
    double[] weights = new double[k];
    Gaussian[] components = new Gaussian[k];
    int kept = 0;
    for (int j = 0; j < k; j++) {
      if (mass[j] < GaussianMixtureEm.MIN_MASS) {
        continue;
      }
      double[] s = scatter[j];
      double[] mu = offset[j];
      double[][] cov = new double[d][d];
      double[] mean = new double[d];
      for (int a = 0; a < d; a++) {
        mean[a] = data.centre[a] + mu[a];
        for (int b = a; b < d; b++) {
          cov[a][b] = s[a * d + b] / mass[j] - mu[a] * mu[b];
          cov[b][a] = cov[a][b];
        }
      }
      weights[kept] = mass[j] / n;
      components[kept] = Gaussian.of(mean, cov, floor);
      kept++;
    }
    if (kept == 0) {
      throw new EstimationException("every mixture component lost its mass during EM");
    }
    return Mixture.of(Arrays.copyOf(weights, kept), Arrays.copyOf(components, kept));
  }

  /**
   * Adds Σ_i w_i y_i y_iᵀ ({@code w} null: all 1) to the upper triangle of {@code s}, four rows at
   * a time: one pass over s per four rows, the inner loop vectorised over its columns.
   */
  static void addScatter(double[] y, int n, int d, double[] w, double[] s) {
    int i = 0;
    for (; i + 4 <= n; i += 4) {
      double w0 = w == null ? 1 : w[i];
      double w1 = w == null ? 1 : w[i + 1];
      double w2 = w == null ? 1 : w[i + 2];
      double w3 = w == null ? 1 : w[i + 3];
      if (w0 == 0 && w1 == 0 && w2 == 0 && w3 == 0) {
        continue;
      }
      int o0 = i * d;
      int o1 = o0 + d;
      int o2 = o1 + d;
      int o3 = o2 + d;
      for (int a = 0; a < d; a++) {
        double c0 = w0 * y[o0 + a];
        double c1 = w1 * y[o1 + a];
        double c2 = w2 * y[o2 + a];
        double c3 = w3 * y[o3 + a];
        int row = a * d;
        for (int b = a; b < d; b++) {
          s[row + b] += c0 * y[o0 + b] + c1 * y[o1 + b] + c2 * y[o2 + b] + c3 * y[o3 + b];
        }
      }
    }
    for (; i < n; i++) {
      double wi = w == null ? 1 : w[i];
      if (wi == 0) {
        continue;
      }
      int o = i * d;
      for (int a = 0; a < d; a++) {
        double c = wi * y[o + a];
        int row = a * d;
        for (int b = a; b < d; b++) {
          s[row + b] += c * y[o + b];
        }
      }
    }
  }
}
