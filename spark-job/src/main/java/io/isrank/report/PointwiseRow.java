package io.isrank.report;

/**
 * One row of the {@code pointwise} table: an item that the source simulates among the worst
 * (kind "worst", position 1 = lowest) or best (kind "best", position 1 = highest) for a target,
 * with its pointwise sufficiency s_i = log p(v_i | u_i) − log p(v_i) in nats.
 */
public record PointwiseRow(String source, String target, String kind, int position, String id, double sufficiency) {}
