package io.isrank.testkit;

import java.util.Random;

/**
 * Data with known mutual information, for tests and the calibration suite: jointly Gaussian pairs
 * with chosen canonical correlations, invertible maps of them (MI unchanged), and embedding-like
 * models made from a shared latent. Deterministic in the seeds.
 */
public final class Synthetic {
  private Synthetic() {}

  /**
   * r equal canonical correlations giving mutual information {@code mi} nats in total:
   * −½ r log(1 − ρ²) = mi, so ρ = √(1 − e^(−2 mi / r)).
   */
  public static double[] correlationsFor(double mi, int r) {
    double[] rho = new double[r];
    java.util.Arrays.fill(rho, Math.sqrt(-Math.expm1(-2 * mi / r)));
    return rho;
  }

  /**
   * A joint covariance of (U, V) with canonical correlations rho whose correlated directions carry
   * {@code signalVariance} (the other directions variance 1), each block then rotated by a random
   * orthogonal matrix. MI = −½ Σ log(1 − ρ²), and the informative directions are the blocks' top
   * principal components — as in real embeddings, where the shared content dominates the variance.
   */
  public static double[][] signalCovariance(int sourceDim, int targetDim, double[] rho, double signalVariance,
      long seed) {
    double[][] c = canonicalCovariance(sourceDim, targetDim, rho);
    int d = sourceDim + targetDim;
    double[] scale = new double[d];
    java.util.Arrays.fill(scale, 1.0);
    for (int i = 0; i < rho.length; i++) {
      scale[i] = Math.sqrt(signalVariance);
      scale[sourceDim + i] = Math.sqrt(signalVariance);
    }
    for (int i = 0; i < d; i++) {
      for (int j = 0; j < d; j++) {
        c[i][j] *= scale[i] * scale[j];
      }
    }
    double[][] q = blockDiagonal(orthogonal(sourceDim, seed), orthogonal(targetDim, seed + 1));
    return multiply(multiply(q, c), transpose(q));
  }

  /**
   * Population covariance of embedding-like models: a shared latent z ~ N(0, I_r), U = A z + σ ε,
   * V = B z + σ ε', with A (dU × r) and B (dV × r) random Gaussian maps scaled by 1/√r.
   */
  public static double[][] embeddingLikeCovariance(int latent, int sourceDim, int targetDim, double noise, long seed) {
    Random random = new Random(seed);
    int d = sourceDim + targetDim;
    double[][] map = new double[d][latent];
    for (int i = 0; i < d; i++) {
      for (int f = 0; f < latent; f++) {
        map[i][f] = random.nextGaussian() / Math.sqrt(latent);
      }
    }
    double[][] c = multiply(map, transpose(map));
    for (int i = 0; i < d; i++) {
      c[i][i] += noise * noise;
    }
    return c;
  }

  /** Invertible element-wise maps: MI is unchanged by them, a single Gaussian no longer fits. */
  public enum Transform {
    /** asinh(x): compresses the tails. */
    ASINH,
    /** x·|x|^½: stretches the tails. */
    POWER_1_5,
    /** x³: stretches the tails hard. */
    CUBE;

    public double apply(double x) {
      return switch (this) {
        case ASINH -> Math.log(x + Math.sqrt(x * x + 1));
        case POWER_1_5 -> x * Math.sqrt(Math.abs(x));
        case CUBE -> x * x * x;
      };
    }
  }

  /** A d × d random orthogonal matrix (Gram–Schmidt on Gaussian columns). */
  public static double[][] orthogonal(int d, long seed) {
    Random random = new Random(seed);
    double[][] q = new double[d][d];
    for (int col = 0; col < d; col++) {
      double[] v = new double[d];
      for (int i = 0; i < d; i++) {
        v[i] = random.nextGaussian();
      }
      for (int pass = 0; pass < 2; pass++) {
        for (int prev = 0; prev < col; prev++) {
          double dot = 0;
          for (int i = 0; i < d; i++) {
            dot += v[i] * q[i][prev];
          }
          for (int i = 0; i < d; i++) {
            v[i] -= dot * q[i][prev];
          }
        }
      }
      double norm = 0;
      for (double x : v) {
        norm += x * x;
      }
      norm = Math.sqrt(norm);
      for (int i = 0; i < d; i++) {
        q[i][col] = v[i] / norm;
      }
    }
    return q;
  }

  private static double[][] blockDiagonal(double[][] a, double[][] b) {
    int d = a.length + b.length;
    double[][] m = new double[d][d];
    for (int i = 0; i < a.length; i++) {
      System.arraycopy(a[i], 0, m[i], 0, a.length);
    }
    for (int i = 0; i < b.length; i++) {
      System.arraycopy(b[i], 0, m[a.length + i], a.length, b.length);
    }
    return m;
  }

  /**
   * Covariance of [U; V] with identity blocks and canonical correlations rho on the diagonal of
   * the cross block: Σ = [[I, R], [Rᵀ, I]], R = diag(ρ) padded with zeros.
   */
  public static double[][] canonicalCovariance(int sourceDim, int targetDim, double... rho) {
    int d = sourceDim + targetDim;
    double[][] c = new double[d][d];
    for (int i = 0; i < d; i++) {
      c[i][i] = 1;
    }
    for (int i = 0; i < rho.length; i++) {
      c[i][sourceDim + i] = rho[i];
      c[sourceDim + i][i] = rho[i];
    }
    return c;
  }

  /**
   * The same joint covariance after invertible linear maps of each block, x ↦ diag(A, B)·x with A
   * and B random (well conditioned: identity plus small noise). MI is unchanged.
   */
  public static double[][] mixBlocks(double[][] cov, int sourceDim, long seed) {
    int d = cov.length;
    Random random = new Random(seed);
    double[][] t = new double[d][d];
    for (int i = 0; i < d; i++) {
      boolean iSource = i < sourceDim;
      for (int j = 0; j < d; j++) {
        if ((j < sourceDim) == iSource) {
          t[i][j] = (i == j ? 2.0 : 0.0) + 0.5 * random.nextGaussian();
        }
      }
    }
    double[][] tc = multiply(t, cov);
    return multiply(tc, transpose(t));
  }

  /**
   * A zoo of models seeing shared latent factors, as one population covariance. Model j sees the
   * first {@code factors[j]} of the shared factors z ~ N(0, I), each through its own noise
   * (y = z + noise·ε), pads them with dims[j] − factors[j] private N(0, 1) coordinates, and mixes
   * the lot by a random invertible map A_j = Q₁ diag(s) Q₂ (Q random orthogonal, s log-uniform in
   * [1, condition]): non-orthogonal, so the shared information is spread over all of the model's
   * directions rather than lying in those of largest variance.
   *
   * @return the covariance of [x_0; …; x_{M−1}]; model j has coordinates offsets[j] ..
   *     offsets[j+1] − 1 with offsets the running sums of dims
   */
  public static double[][] latentZoo(int[] dims, int[] factors, double noise, double condition, long seed) {
    int models = dims.length;
    int[] offsets = new int[models + 1];
    for (int j = 0; j < models; j++) {
      if (factors[j] > dims[j]) {
        throw new IllegalArgumentException("model " + j + " sees " + factors[j] + " factors in " + dims[j] + " dims");
      }
      offsets[j + 1] = offsets[j] + dims[j];
    }
    int total = offsets[models];
    // covariance of the unmixed y's
    double[][] y = new double[total][total];
    for (int j = 0; j < models; j++) {
      for (int i = 0; i < dims[j]; i++) {
        y[offsets[j] + i][offsets[j] + i] = i < factors[j] ? 1 + noise * noise : 1;
      }
      for (int l = 0; l < models; l++) {
        if (l != j) {
          for (int f = 0; f < Math.min(factors[j], factors[l]); f++) {
            y[offsets[j] + f][offsets[l] + f] = 1;
          }
        }
      }
    }
    double[][] mix = new double[total][total];
    Random random = new Random(seed);
    for (int j = 0; j < models; j++) {
      int d = dims[j];
      double[][] q1 = orthogonal(d, random.nextLong());
      double[][] q2 = orthogonal(d, random.nextLong());
      double[][] scaled = new double[d][d];
      for (int i = 0; i < d; i++) {
        double sv = Math.exp(random.nextDouble() * Math.log(condition));
        for (int k = 0; k < d; k++) {
          scaled[i][k] = sv * q2[i][k];
        }
      }
      double[][] a = multiply(q1, scaled);
      for (int i = 0; i < d; i++) {
        System.arraycopy(a[i], 0, mix[offsets[j] + i], offsets[j], d);
      }
    }
    double[][] c = multiply(multiply(mix, y), transpose(mix));
    for (int i = 0; i < total; i++) {
      for (int k = 0; k < i; k++) {
        double v = 0.5 * (c[i][k] + c[k][i]);
        c[i][k] = v;
        c[k][i] = v;
      }
    }
    return c;
  }

  /** n draws from N(mean, cov), one per row. */
  public static double[][] sample(double[] mean, double[][] cov, int n, long seed) {
    int d = mean.length;
    double[][] l = cholesky(cov);
    Random random = new Random(seed);
    double[][] rows = new double[n][d];
    double[] e = new double[d];
    for (int r = 0; r < n; r++) {
      for (int i = 0; i < d; i++) {
        e[i] = random.nextGaussian();
      }
      for (int i = 0; i < d; i++) {
        double s = mean[i];
        for (int k = 0; k <= i; k++) {
          s += l[i][k] * e[k];
        }
        rows[r][i] = s;
      }
    }
    return rows;
  }

  /** A plain Cholesky, written independently of the production one. */
  public static double[][] cholesky(double[][] a) {
    int d = a.length;
    double[][] l = new double[d][d];
    for (int j = 0; j < d; j++) {
      double s = a[j][j];
      for (int k = 0; k < j; k++) {
        s -= l[j][k] * l[j][k];
      }
      l[j][j] = Math.sqrt(s);
      for (int i = j + 1; i < d; i++) {
        double t = a[i][j];
        for (int k = 0; k < j; k++) {
          t -= l[i][k] * l[j][k];
        }
        l[i][j] = t / l[j][j];
      }
    }
    return l;
  }

  public static double[][] multiply(double[][] a, double[][] b) {
    int n = a.length;
    int m = b[0].length;
    double[][] c = new double[n][m];
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < b.length; k++) {
        double aik = a[i][k];
        for (int j = 0; j < m; j++) {
          c[i][j] += aik * b[k][j];
        }
      }
    }
    return c;
  }

  public static double[][] transpose(double[][] a) {
    double[][] t = new double[a[0].length][a.length];
    for (int i = 0; i < a.length; i++) {
      for (int j = 0; j < a[0].length; j++) {
        t[j][i] = a[i][j];
      }
    }
    return t;
  }
}
