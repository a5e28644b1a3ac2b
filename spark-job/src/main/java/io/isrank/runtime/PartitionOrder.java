package io.isrank.runtime;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BinaryOperator;
import scala.Tuple2;

/**
 * isrank's determinism guarantee for sums over partitions, in one place: every pass that adds up
 * per-partition results returns them tagged with the partition's index, and the driver adds them
 * in index order. Floating-point addition is not associative, so adding in the order tasks finish
 * would change the last bits from run to run; the partitions themselves hold the same rows in the
 * same order on any cluster (their layout is a function of the data and the seed), so the totals
 * are the same to the last bit.
 */
public final class PartitionOrder {
  private PartitionOrder() {}

  /** The partitions' results, in partition-index order. */
  public static <A> List<A> ordered(List<Tuple2<Integer, A>> parts) {
    List<Tuple2<Integer, A>> sorted = new ArrayList<>(parts);
    sorted.sort(Comparator.comparingInt(Tuple2::_1));
    List<A> out = new ArrayList<>(sorted.size());
    for (Tuple2<Integer, A> p : sorted) {
      out.add(p._2());
    }
    return out;
  }

  /** {@code start}, then each partition's result added in partition-index order. */
  public static <A> A fold(List<Tuple2<Integer, A>> parts, A start, BinaryOperator<A> add) {
    A total = start;
    for (A part : ordered(parts)) {
      total = add.apply(total, part);
    }
    return total;
  }

  /** Per key, the partitions' results added in partition-index order (a key's first result starts it). */
  public static <K, A> Map<K, A> foldByKey(List<Tuple2<Integer, Map<K, A>>> parts, BinaryOperator<A> add) {
    Map<K, A> total = new HashMap<>();
    for (Map<K, A> part : ordered(parts)) {
      part.forEach((key, value) -> total.merge(key, value, add));
    }
    return total;
  }
}
