package io.isrank.validate;

/**
 * A 64-bit hash of an embedding's values, for telling identical copies of an id from conflicting
 * ones without comparing (or shuffling) the embeddings themselves. −0.0 hashes as 0.0 (they
 * compare equal); the length is part of the hash.
 */
public final class EmbeddingHash {
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

  /** The hash of a whole embedding. */
  public static long of(double[] x) {
    long h = start(x.length);
    for (double v : x) {
      h = mix(h, v);
    }
    return finish(h);
  }
}
