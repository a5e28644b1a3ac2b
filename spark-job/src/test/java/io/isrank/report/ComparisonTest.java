package io.isrank.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The run-to-run comparison as a table builder: no Spark, hand-made rankings. */
class ComparisonTest {
  private static RankingRow ranked(int rank, String model, double is, Double lower, Double upper) {
    return new RankingRow(rank, model, is, lower, upper, is, false, 3, 8, 4, 0.9, "why", 1.0, null, null, null, null,
        null, null, null, null, null, null, null, null, null, null, 1, "t", "t", "s", "e");
  }

  private static final Comparison.Current NOW = new Comparison.Current("sha256:b", "dim", "gaussian");

  private static Comparison.Baseline before(String fingerprint, String normalisation, Comparison.Entry... entries) {
    return new Comparison.Baseline("r1", "2026-12-01T10:00:00Z", "history table 'h'", fingerprint, normalisation,
        "gaussian", List.of(entries));
  }

  @Test
  void ranksMovesAddedAndRemovedModels() {
    List<RankingRow> now = List.of(ranked(1, "b", 0.50, 0.45, 0.55), ranked(2, "a", 0.40, 0.38, 0.42),
        ranked(3, "new", 0.10, 0.05, 0.15));
    Comparison.Result c = Comparison.compare(now, NOW, before("sha256:a", "dim",
        new Comparison.Entry("a", 1, 0.60, 0.57, 0.63), new Comparison.Entry("b", 2, 0.49, 0.44, 0.54),
        new Comparison.Entry("gone", 3, 0.20, 0.10, 0.30)));
    assertEquals(List.of("b", "a", "new", "gone"), c.rows().stream().map(Comparison.Row::model).toList(),
        "this run's order, then the removed models");
    Comparison.Row b = c.rows().get(0);
    assertEquals(1, b.rankMove(), "b moved up from 2 to 1");
    assertEquals(0.01, b.delta(), 1e-12);
    // half-widths 0.05 and 0.05 add in quadrature: 0.05·√2
    assertEquals(0.01 - 0.05 * Math.sqrt(2), b.deltaLower(), 1e-12);
    assertEquals(0.01 + 0.05 * Math.sqrt(2), b.deltaUpper(), 1e-12);
    assertEquals("within uncertainty", b.change());
    Comparison.Row a = c.rows().get(1);
    assertEquals(-1, a.rankMove());
    assertEquals("down", a.change(), "0.40 ± 0.02 against 0.60 ± 0.03: the interval of the change excludes 0");
    assertEquals("added", c.rows().get(2).status());
    assertNull(c.rows().get(2).previousRank());
    assertEquals("removed", c.rows().get(3).status());
    assertEquals(3, c.rows().get(3).previousRank());
    assertEquals(2, c.count("kept"));
    assertTrue(c.fingerprintChanged());
    assertTrue(c.notes().get(0).startsWith("the input changed"));
    assertTrue(c.notes().stream().anyMatch(n -> n.startsWith("the set of models changed")),
        "a median over other targets moves when targets come and go; the reader is told");
  }

  @Test
  void anotherNormalisationComparesRanksOnly() {
    Comparison.Result c = Comparison.compare(List.of(ranked(1, "a", 0.5, null, null)), NOW,
        before("sha256:b", "entropy", new Comparison.Entry("a", 1, 0.9, null, null)));
    assertFalse(c.comparable());
    assertFalse(c.fingerprintChanged());
    assertNull(c.rows().get(0).delta(), "a fraction of entropy and nats per dimension do not subtract");
    assertEquals(0, c.rows().get(0).rankMove());
    assertTrue(c.notes().stream().noneMatch(n -> n.startsWith("the set of models changed")), "same models");
    assertTrue(c.notes().stream().anyMatch(n -> n.contains("rank.normalisation was entropy and is now dim")));
  }

  @Test
  void withoutIntervalsNoVerdictIsClaimed() {
    Comparison.Result c = Comparison.compare(List.of(ranked(1, "a", 0.5, null, null)), NOW,
        before("sha256:b", "dim", new Comparison.Entry("a", 1, 0.1, 0.05, 0.15)));
    assertEquals(0.4, c.rows().get(0).delta(), 1e-12);
    assertNull(c.rows().get(0).deltaLower());
    assertEquals("no interval", c.rows().get(0).change());
  }
}
