package io.isrank.validate;

/**
 * A 64-bit hash of an embedding's values, for telling identical copies of an id from conflicting
 * ones without comparing (or shuffling) the embeddings themselves. −0.0 hashes as 0.0 (they
 * compare equal); the length is part of the hash.
 */
final class EmbeddingHash {
  private static final long SEED = 0x2545F4914F6CDD1DL;
  private static final long P1 = 0x9E3779B97F4A7C15L;
  private static final long P2 = 0xC2B2AE3D27D4EB4FL;

  private EmbeddingHash() {}

  /** The running hash before the first value of an embedding of this length. */
  public static long start(int length) {
    return SEED ^ length;
  }

  /** One value into the running hash. */
  public static long mix(long h, double x) {
    long bits = Double.doubleToLongBits(x == 0 ? 0.0 : x);
    return Long.rotateLeft(h ^ (bits * P2), 31) * P1;
  }

  /** The final avalanche (MurmurHash3's fmix64). */
  public static long finish(long h) {
    h ^= h >>> 33;
    h *= 0xFF51AFD7ED558CCDL;
    h ^= h >>> 33;
    h *= 0xC4CEB93FE1A85EC3L;
    h ^= h >>> 33;
    return h;
  }

  /** The hash of a whole embedding (one lane: what {@link RowFacts} computes). */
  public static long of(double[] x) {
    long h = start(x.length);
    for (double v : x) {
      h = mix(h, v);
    }
    return finish(h);
  }

  /**
   * The scan's hash of an embedding, its first {@code n} values: four lanes, element j going to
   * lane j mod 4, combined at the end — four independent multiply chains instead of one, about
   * three times faster per value. A different function from {@link #of} (each is compared only
   * with itself). Float embeddings are hashed as their exact doubles.
   */
  public static long lanes(double[] x, int n) {
    long h0 = start(n);
    long h1 = h0 ^ P1;
    long h2 = h0 ^ P2;
    long h3 = h0 ^ (P1 * P2);
    int j = 0;
    for (; j + 4 <= n; j += 4) {
      h0 = mix(h0, x[j]);
      h1 = mix(h1, x[j + 1]);
      h2 = mix(h2, x[j + 2]);
      h3 = mix(h3, x[j + 3]);
    }
    for (; j < n; j++) {
      h0 = mix(h0, x[j]);
    }
    return combine(h0, h1, h2, h3);
  }

  /** Multipliers of {@link #floats} for the first positions (odd: no difference of one value is lost). */
  private static final long[] WEIGHTS = new long[4096];

  static {
    for (int j = 0; j < WEIGHTS.length; j++) {
      WEIGHTS[j] = weight(j);
    }
  }

  private static long weight(int j) {
    return finish(SEED + j * P1) | 1;
  }

  /**
   * The scan's hash of a float embedding, its first {@code n} values: Σ bits(xⱼ)·kⱼ mod 2⁶⁴ with a
   * fixed odd multiplier per position, then the length and the final avalanche. No chain of
   * dependent multiplies (each product is independent), so it runs about three times as fast as
   * {@link #lanes}; a different function from both others (each is compared only with itself).
   * Two embeddings that differ in one value never collide (the difference, below 2³², times an odd
   * multiplier is not 0 mod 2⁶⁴); −0.0 hashes as 0.0.
   */
  public static long floats(float[] x, int n) {
    long s = 0;
    int fast = Math.min(n, WEIGHTS.length);
    for (int j = 0; j < fast; j++) {
      s += Float.floatToRawIntBits(x[j] + 0.0f) * WEIGHTS[j]; // + 0.0f turns −0.0 into 0.0
    }
    for (int j = fast; j < n; j++) {
      s += Float.floatToRawIntBits(x[j] + 0.0f) * weight(j);
    }
    return finish(s ^ (n * P2));
  }

  private static long combine(long h0, long h1, long h2, long h3) {
    return finish(Long.rotateLeft(h0, 1) + Long.rotateLeft(h1, 7) + Long.rotateLeft(h2, 12) + Long.rotateLeft(h3, 18));
  }
}
