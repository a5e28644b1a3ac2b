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

  private static long combine(long h0, long h1, long h2, long h3) {
    return finish(Long.rotateLeft(h0, 1) + Long.rotateLeft(h1, 7) + Long.rotateLeft(h2, 12) + Long.rotateLeft(h3, 18));
  }
}
