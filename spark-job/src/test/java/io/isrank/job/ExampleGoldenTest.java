package io.isrank.job;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.isrank.report.PairRow;
import io.isrank.report.RankingRow;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * The example's numbers, kept: every model's informativeness and every pair's IS under the
 * example's settings, against {@code example-golden.csv}. A reshaping of the code must leave them
 * as they are; a deliberate change of the statistics regenerates the file (run this test with
 * {@code -Disrank.golden.write=true}, then review the diff) and says why in its commit.
 *
 * <p>Tolerance: 1e-9 relative. The pipeline is deterministic for a seed, but Math.exp and Math.log
 * may differ by an ulp between processors (JIT intrinsics), and such differences grow through the
 * eigen-decompositions to about 1e-12 relative; any real change of the method moves these numbers
 * by far more than 1e-9.
 */
class ExampleGoldenTest extends SparkTestBase {
  private static final String GOLDEN = "example-golden.csv";

  @Test
  void theExampleGivesTheKeptNumbers() throws IOException {
    Pipeline.Result r = Pipeline.run(spark, config("--config", "../conf/example.conf", "--input",
        new File("../datasets/example").getAbsolutePath(), "--output", scratch.resolve("golden").toString(),
        "--rank.bootstrap", "0"));
    List<String> now = new ArrayList<>();
    for (RankingRow row : r.ranking()) {
      now.add(String.format(Locale.ROOT, "ranking,%s,,%d,%.17g", row.model(), row.rank(), row.informativeness()));
    }
    for (PairRow p : r.pairs()) {
      now.add(String.format(Locale.ROOT, "pair,%s,%s,,%.17g", p.source(), p.target(), p.sufficiency()));
    }
    if (Boolean.getBoolean("isrank.golden.write")) {
      Path file = Path.of("src/test/resources/io/isrank/job", GOLDEN);
      Files.writeString(file, "# kind,model or source,target,rank,value (see ExampleGoldenTest)\n"
          + String.join("\n", now) + "\n");
      return;
    }
    List<String> kept = new ArrayList<>();
    try (InputStream in = getClass().getResourceAsStream(GOLDEN)) {
      new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().filter(l -> !l.startsWith("#")).forEach(kept::add);
    }
    assertEquals(kept.size(), now.size(), "5 models and 20 pairs");
    for (int i = 0; i < kept.size(); i++) {
      String[] want = kept.get(i).split(",");
      String[] got = now.get(i).split(",");
      assertEquals(String.join(",", List.of(want).subList(0, 4)), String.join(",", List.of(got).subList(0, 4)),
          "the same model, pair and rank in the same order");
      double w = Double.parseDouble(want[4]);
      double g = Double.parseDouble(got[4]);
      assertEquals(w, g, 1e-9 * Math.max(1e-3, Math.abs(w)), kept.get(i));
    }
  }
}
