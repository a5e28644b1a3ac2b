package io.isrank.probe;

/**
 * A seeded 64-bit hash of an item id (SplitMix64's finaliser over seed ^ id): a fixed,
 * well-mixed order of items that depends on nothing but the seed and the id, for reproducible
 * samples and fold assignments outside Spark (Spark code uses xxhash64 on columns).
 */
public final class SeededHash {
  private SeededHash() {}

  public static long of(long seed, long id) {
    long z = seed ^ id;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** The bucket 0 … buckets−1 of an id (unsigned remainder of the hash). */
  public static int bucket(long seed, long id, int buckets) {
    return (int) Long.remainderUnsigned(of(seed, id), buckets);
  }
}
