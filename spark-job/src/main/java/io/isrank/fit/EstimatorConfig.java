package io.isrank.fit;

/**
 * Which estimator, its covariance floor, where the score's target density comes from, and
 * whether the held-out bias of each density is added back ({@code HeldOutBias}).
 */
public record EstimatorConfig(EstimatorType type, double floor, boolean targetFromJoint, boolean biasCorrection) {}
