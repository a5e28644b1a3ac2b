package io.isrank.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.isrank.error.InputException;
import io.isrank.report.RankingRow;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/** Cost-aware columns, the Pareto front, explanations and the pointwise table, end to end. */
class CostAndExplanationTest extends SparkTestBase {
  private static final Path EXAMPLE = new File("../datasets/example").toPath().toAbsolutePath();

  /** A copy of the example with a metadata file beside the embeddings, as the embed tool writes it. */
  private String exampleWithMetadata(String name, String csv) throws IOException {
    Path copy = scratch.resolve(name);
    try (var files = Files.walk(EXAMPLE)) {
      for (Path p : files.toList()) {
        Path to = copy.resolve(EXAMPLE.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(to);
        } else {
          Files.copy(p, to);
        }
      }
    }
    Files.writeString(copy.resolve("_models.csv"), csv);
    return copy.toString();
  }

  private Pipeline.Result withMeta;
  private String withMetaOut;
  private String withMetaInput;

  /**
   * The example with a metadata file: known order alpha-12f > beta-9f > gamma-6f > delta-3f > noise;
   * gamma costs more than the more informative beta, so it is dominated; noise has no cost; an
   * extra model in the file only warns. Run once for the tests that read it.
   */
  private Pipeline.Result withMetadata() throws IOException {
    if (withMeta == null) {
      withMetaInput = exampleWithMetadata("with-meta", """
          model,kind,parameters,ms_per_item,model_bytes,description
          alpha-12f,onnx,120000000,10.0,480000000,big
          beta-9f,onnx,30000000,2.0,,mid
          gamma-6f,onnx,,5.0,,dominated
          delta-3f,onnx,1000000,0.5,,cheap
          noise,control,,,,
          retired-model,onnx,5,5,5,gone
          """);
      withMetaOut = scratch.resolve("meta-out").toString();
      withMeta = Pipeline.run(spark, config("--config", "../conf/example.conf", "--input", withMetaInput, "--output",
          withMetaOut, "--rank.bootstrap", "0"));
    }
    return withMeta;
  }

  private Map<String, RankingRow> byModel() throws IOException {
    return withMetadata().ranking().stream().collect(Collectors.toMap(RankingRow::model, Function.identity()));
  }

  @Test
  void efficienciesAreInformativenessPerUnitOfEachKnownCost() throws IOException {
    Pipeline.Result r = withMetadata();
    Map<String, RankingRow> by = byModel();
    assertEquals(List.of("alpha-12f", "beta-9f", "gamma-6f", "delta-3f", "noise"),
        r.ranking().stream().map(RankingRow::model).toList());
    assertEquals(2.0, by.get("beta-9f").msPerItem());
    assertEquals(by.get("beta-9f").informativeness() / 2.0, by.get("beta-9f").isPerMs(), 1e-12);
    assertEquals(by.get("alpha-12f").informativeness() / 120.0, by.get("alpha-12f").isPerMillionParameters(), 1e-12);
    assertEquals(by.get("alpha-12f").informativeness() / by.get("alpha-12f").dim(), by.get("alpha-12f").isPerDim(),
        1e-12);
    assertNull(by.get("noise").msPerItem(), "no cost given: none invented");
    assertNull(by.get("noise").isPerMs());
    assertNull(by.get("gamma-6f").parameters());
    assertTrue(r.warnings().stream().anyMatch(w -> w.contains("retired-model")), r.warnings().toString());
  }

  @Test
  void theParetoFrontLeavesOutTheDominatedModel() throws IOException {
    Map<String, RankingRow> by = byModel();
    assertEquals(Boolean.TRUE, by.get("alpha-12f").paretoMs());
    assertEquals(Boolean.TRUE, by.get("beta-9f").paretoMs());
    assertEquals(Boolean.FALSE, by.get("gamma-6f").paretoMs());
    assertEquals(Boolean.TRUE, by.get("delta-3f").paretoMs());
    assertNull(by.get("noise").paretoMs());
    List<Row> table = spark.read().parquet(withMetaOut + "/ranking").orderBy("rank").collectAsList();
    assertEquals(false, table.get(2).getAs("pareto_ms"), "the table carries it");
    String html = Files.readString(Path.of(withMetaOut, "report.html"));
    assertTrue(html.contains("id=\"cost-2\"") && html.contains("class=\"front\""), "ms scatter with its front");
    int svgStart = html.indexOf("id=\"cost-2\"");
    String svg = html.substring(svgStart, html.indexOf("</svg>", svgStart));
    assertEquals(3, count(svg, "class=\"on-front\""));
    assertEquals(1, count(svg, "class=\"dominated\""));
    assertTrue(Files.readString(Path.of(withMetaOut, "run.json")).contains("_models.csv"));
  }

  @Test
  void explanationsNameTheDominatingModelStrongestTargetsAndGroups() throws IOException {
    Pipeline.Result r = withMetadata();
    Map<String, RankingRow> by = byModel();
    assertTrue(by.get("gamma-6f").explanation().contains("dominated on ms per item (5) by beta-9f"),
        by.get("gamma-6f").explanation());
    // alpha beats the median source on every informative target (onto noise every source is ~0)
    assertTrue(by.get("alpha-12f").explanation().matches("ranked 1st of 5: simulates [34] of 4 models better than "
        + "the median source; strongest on beta-9f .*"), by.get("alpha-12f").explanation());
    assertTrue(by.get("noise").explanation().contains("a group of its own"), by.get("noise").explanation());
    for (RankingRow x : r.ranking()) {
      if (!x.model().equals("noise")) {
        assertNotEquals(by.get("noise").group(), x.group(), "noise shares information with nobody");
        assertEquals("noise", x.weakestTarget(), x.model() + " simulates noise worst");
      }
    }
    List<Row> table = spark.read().parquet(withMetaOut + "/ranking").orderBy("rank").collectAsList();
    assertTrue(((String) table.get(2).getAs("explanation")).contains("beta-9f"));
    String html = Files.readString(Path.of(withMetaOut, "report.html"));
    assertTrue(html.contains("id=\"explanations\"") && html.contains("dominated on ms per item"));
    // groups are numbered from 1, and the report and the table give every model the same number
    assertEquals(1, r.ranking().stream().mapToInt(RankingRow::group).min().orElseThrow());
    for (Row t : table) {
      String model = t.getAs("model");
      int group = t.getAs("group");
      assertTrue(html.contains("<b>" + model + "</b> (group " + group + ")"), model + " is in group " + group);
    }
  }

  @Test
  void withoutMetadataTheRankingIsTheSameAndCostsAreMissingNotInvented() throws IOException {
    Pipeline.Result r = withMetadata();
    Pipeline.Result plain = Pipeline.run(spark, config("--config", "../conf/example.conf", "--input", withMetaInput,
        "--output", scratch.resolve("plain-out").toString(), "--rank.bootstrap", "0", "--input.metadata", "none"));
    for (int i = 0; i < plain.ranking().size(); i++) {
      RankingRow p = plain.ranking().get(i);
      assertEquals(r.ranking().get(i).informativeness(), p.informativeness(), 0.0, "the same ranking to the bit");
      assertNull(p.msPerItem());
      assertNull(p.paretoMs());
      assertTrue(p.explanation().contains("ms per item unknown") || p.explanation().contains("dimension"),
          p.explanation());
    }
  }

  private static int count(String s, String what) {
    int n = 0;
    for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) {
      n++;
    }
    return n;
  }

  @Test
  void badMetadataIsNamedClearly() throws IOException {
    String input = exampleWithMetadata("bad-meta", "model,ms_per_item\nalpha-12f,fast\n");
    InputException e = assertThrows(InputException.class, () -> Pipeline.run(spark, config("--config",
        "../conf/example.conf", "--input", input, "--output", scratch.resolve("bad-out").toString())));
    assertTrue(e.getMessage().contains("model 'alpha-12f' has ms_per_item = 'fast'"), e.getMessage());
    Path other = scratch.resolve("negative.csv");
    Files.writeString(other, "model,parameters\nbeta-9f,-3\n");
    InputException n = assertThrows(InputException.class, () -> Pipeline.run(spark, config("--config",
        "../conf/example.conf", "--input", EXAMPLE.toString(), "--input.metadata", other.toString(), "--output",
        scratch.resolve("neg-out").toString())));
    assertTrue(n.getMessage().contains("'beta-9f' has parameters = -3"), n.getMessage());
  }

  @Test
  void pointwiseTopKFindsPlantedItems() {
    // v is a noisy copy of u, except on 40 planted items where v is an unrelated far-off draw: those
    // are the items u simulates worst, and they must fill the worst list of u -> v.
    Random random = new Random(3);
    Set<Long> planted = new TreeSet<>();
    while (planted.size() < 40) {
      planted.add((long) random.nextInt(3000));
    }
    List<Row> rows = new ArrayList<>();
    for (long id = 0; id < 3000; id++) {
      Double[] u = new Double[3];
      Double[] v = new Double[3];
      for (int j = 0; j < 3; j++) {
        u[j] = random.nextGaussian();
        v[j] = planted.contains(id) ? 4 + random.nextGaussian() : u[j] + 0.3 * random.nextGaussian();
      }
      rows.add(row(id, "u", u));
      rows.add(row(id, "v", v));
    }
    String input = write("planted", rows, 3);
    int k = 5;
    Pipeline.Result r = Pipeline.run(spark, config("--input", input, "--output", scratch.resolve("pw").toString(),
        "--split.fit-rows", "1500", "--reduce.dims", "3", "--rank.bootstrap", "0", "--output.pointwise-top-k",
        String.valueOf(k)));
    List<Row> table = spark.read().parquet(scratch.resolve("pw").resolve("pointwise").toString()).collectAsList();
    assertEquals(2 * k * 2, table.size(), "k worst and k best for each of the 2 directions");
    List<Row> worst = table.stream().filter(x -> x.<String>getAs("source").equals("u") && x.<String>getAs("kind").equals("worst"))
        .sorted((a, b) -> Integer.compare(a.<Integer>getAs("position"), b.<Integer>getAs("position"))).toList();
    assertEquals(k, worst.size());
    for (Row w : worst) {
      assertTrue(planted.contains(Long.parseLong(w.getAs("id"))), "worst item " + w + " was not planted");
    }
    for (int i = 1; i < worst.size(); i++) {
      assertTrue(worst.get(i).<Double>getAs("sufficiency") >= worst.get(i - 1).<Double>getAs("sufficiency"), "lowest first");
    }
    table.stream().filter(x -> x.<String>getAs("kind").equals("best")).forEach(b ->
        assertTrue(!planted.contains(Long.parseLong(b.getAs("id"))), "best item " + b + " was planted"));
    assertTrue(Files.exists(scratch.resolve("pw").resolve("pointwise.csv")));
    assertTrue(r.ranking().size() == 2);
    // off by default: no table
    Pipeline.run(spark, config("--input", input, "--output", scratch.resolve("pw-off").toString(),
        "--split.fit-rows", "1500", "--reduce.dims", "3", "--rank.bootstrap", "0"));
    assertTrue(!Files.exists(scratch.resolve("pw-off").resolve("pointwise")));
  }
}
