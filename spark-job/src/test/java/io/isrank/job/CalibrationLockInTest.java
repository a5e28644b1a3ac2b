package io.isrank.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.isrank.estimate.GaussianInformation;
import io.isrank.testkit.Synthetic;
import io.isrank.report.PairRow;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;

/**
 * What the calibration suite (bench/calibrate.sh, docs/calibration.md) established, small enough
 * for CI: under per-coordinate increasing maps the single Gaussian loses information, and the
 * normal-score option (reduce.gaussianise) restores the closed form.
 */
class CalibrationLockInTest extends SparkTestBase {
  /**
   * Held-out bias of fitted densities (≈ parameters / 2n_fit = 0.01 nats here) plus the error of
   * normal scores estimated from 3,000 fit rows per coordinate; 0.06 nats covers both, on top of 4
   * standard errors of sampling noise.
   */
  private static final double ALLOWANCE = 0.06;

  @Test
  void normalScoresRecoverTheTruthUnderCoordinateTransforms() {
    double[] rho = Synthetic.correlationsFor(1.5, 3);
    double truth = GaussianInformation.fromCanonicalCorrelations(rho);
    double[][] cov = Synthetic.canonicalCovariance(4, 4, rho);
    double[][] x = Synthetic.sample(new double[8], cov, 6000, 21);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < x.length; i++) {
      double[] r = Arrays.stream(x[i]).map(Synthetic.Transform.CUBE::apply).toArray();
      rows.add(RowFactory.create((long) i, "u", Arrays.asList(box(Arrays.copyOfRange(r, 0, 4)))));
      rows.add(RowFactory.create((long) i, "v", Arrays.asList(box(Arrays.copyOfRange(r, 4, 8)))));
    }
    String input = write("cubed", rows, 2);
    PairRow plain = uv(Pipeline.run(spark, config("--input", input, "--output", scratch.resolve("p").toString(),
        "--rank.bootstrap", "0")));
    PairRow scored = uv(Pipeline.run(spark, config("--input", input, "--output", scratch.resolve("s").toString(),
        "--rank.bootstrap", "0", "--reduce.gaussianise", "true")));
    assertEquals(truth, scored.sufficiency(), 4 * scored.standardError() + ALLOWANCE);
    assertTrue(plain.sufficiency() < truth - 0.3, "x³ hides information from a single Gaussian: "
        + plain.sufficiency());
  }

  private static PairRow uv(Pipeline.Result r) {
    return r.pairs().stream().filter(p -> p.source().equals("u")).findFirst().orElseThrow();
  }

  private static Double[] box(double[] v) {
    return Arrays.stream(v).boxed().toArray(Double[]::new);
  }
}
