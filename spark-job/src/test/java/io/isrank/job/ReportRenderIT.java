package io.isrank.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * report.html as a person sees it: rendered by headless Chromium, asserted on the DOM it builds
 * (not on pixels), with a screenshot kept in target/ as a build artifact. Model names full of
 * HTML must come out as text. CI installs Chromium (.ci/run), so there the test always runs.
 */
class ReportRenderIT extends SparkTestBase {
  private static final String EVIL = "<script>alert('x')</script>&\"m\"";

  private static String chromium() {
    for (String c : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")) {
      if (new File(c).canExecute()) {
        return c;
      }
    }
    return null;
  }

  private static List<String> headless(String binary, Path profile) {
    return new ArrayList<>(List.of(binary, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
        "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--user-data-dir=" + profile));
  }

  private static String run(List<String> command, Path log) throws Exception {
    Process p = new ProcessBuilder(command).redirectError(log.toFile()).start();
    String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertTrue(p.waitFor(2, TimeUnit.MINUTES), "chromium timed out");
    assertEquals(0, p.exitValue(), Files.readString(log));
    return out;
  }

  @Test
  void reportRendersRankingHeatmapAndCountsWithNamesEscaped() throws Exception {
    String binary = chromium();
    Assumptions.assumeTrue(binary != null || System.getenv("CI") != null, "Chromium is not installed");
    assertTrue(binary != null, "CI must install Chromium (apt-get install chromium)");

    double[][] cov = io.isrank.testkit.Synthetic.canonicalCovariance(3, 3, 0.9, 0.5);
    double[][] big = new double[9][9];
    for (int i = 0; i < 6; i++) {
      System.arraycopy(cov[i], 0, big[i], 0, 6);
    }
    for (int i = 6; i < 9; i++) {
      big[i][i] = 1;
    }
    List<Row> rows = gaussianModels(new String[] {EVIL, "plain", "b&c"}, new int[] {0, 3, 6, 9}, big, 800, 3);
    String input = write("report-input", rows, 2);
    Path out = scratch.resolve("report-out");
    String history = scratch.resolve("report-history").toString();
    Pipeline.Result earlier = Pipeline.run(spark, config("--input", input, "--output", scratch.resolve("earlier")
        .toString(), "--reduce.dims", "3", "--output.history", history, "--input.models", "plain,b&c"));
    Pipeline.Result result = Pipeline.run(spark, config("--input", input, "--output", out.toString(),
        "--reduce.dims", "3", "--output.history", history));

    Path profile = Files.createTempDirectory("chromium-profile");
    Path log = scratch.resolve("chromium.log");
    String url = out.resolve("report.html").toUri().toString();
    List<String> dump = headless(binary, profile);
    dump.addAll(List.of("--dump-dom", url));
    String dom = run(dump, log);

    assertFalse(dom.contains("<script"), "a model name became markup");
    assertTrue(dom.contains("&lt;script&gt;alert('x')&lt;/script&gt;&amp;\"m\""), "the name is shown as text");
    List<String> rankedNames = new ArrayList<>();
    Matcher m = Pattern.compile("<tr><td>\\d+\\*?</td><td class=\"l\">(.*?)</td>").matcher(section(dom, "ranking"));
    while (m.find()) {
      rankedNames.add(m.group(1));
    }
    assertEquals(result.ranking().size(), rankedNames.size());
    assertEquals("b&amp;c", rankedNames.get(rankedNames.size() - 1), "the independent model ranks last");
    assertEquals(9, countOf(section(dom, "matrix"), "class=\"hm\""), "3 × 3 heatmap cells");
    assertEquals(9, countOf(section(dom, "matrix-normalised"), "class=\"hm\""), "and the matrix the ranking uses");
    assertTrue(section(dom, "counts").contains("800"), "rows read per model");

    // every number says its unit: the matrices' captions, the bars' axis, the comparison
    assertTrue(caption(dom, "matrix").contains("Information (nats)"), caption(dom, "matrix"));
    assertTrue(caption(dom, "matrix").contains("This matrix is symmetric"), "the Gaussian default gives MI both ways");
    assertTrue(caption(dom, "matrix-normalised").contains("in nats per dimension of V"));
    String axis = dom.substring(dom.indexOf("id=\"bar-axis\""), dom.indexOf("</div>", dom.indexOf("id=\"bar-axis\"")));
    assertTrue(countOf(axis, "<em") >= 3 && axis.contains(">0<"), "the bars' axis has ticks from 0: " + axis);
    assertTrue(section(dom, "ranking").contains("axis: nats per dimension of the target"));
    assertEquals(result.ranking().size(), countOf(section(dom, "ranking"), "class=\"zero\""), "a zero line per bar");

    // groups: the report's numbers are the table's, counted from 1
    String why = dom.substring(dom.indexOf("id=\"explanations\""), dom.indexOf("</ul>", dom.indexOf("id=\"explanations\"")));
    for (io.isrank.report.RankingRow r : result.ranking()) {
      assertTrue(r.group() >= 1);
      // Chromium's serialised DOM escapes only & < > in text
      String shown = r.model().replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
      assertTrue(why.contains(shown + "</b> (group " + r.group() + ")"),
          r.model() + " in group " + r.group() + ": " + why);
    }

    // the comparison with the earlier run from the history
    String compared = section(dom, "comparison");
    assertTrue(caption(dom, "comparison").contains("Compared with run " + "<b>" + earlier.runId() + "</b>"));
    assertTrue(caption(dom, "comparison").contains("2 models in both, 1 added, 0 removed"));
    assertTrue(caption(dom, "comparison").contains("in nats per dimension of the target"));
    assertEquals(3, countOf(compared, "<tr class="), "one row per model");
    assertTrue(compared.contains("<td>new</td>"), "the model added since");

    assertTrue(section(dom, "config").contains("reduce.dims"));

    List<String> shot = headless(binary, profile);
    Path png = Path.of("target", "report.png").toAbsolutePath();
    shot.addAll(List.of("--window-size=1200,1800", "--screenshot=" + png, url));
    run(shot, log);
    assertTrue(Files.size(png) > 10_000, "the screenshot has content");
  }

  private static String section(String dom, String id) {
    int start = dom.indexOf("id=\"" + id + "\"");
    assertTrue(start >= 0, "no element #" + id);
    return dom.substring(start, dom.indexOf("</table>", start));
  }

  /** The paragraph just before an element: its caption. */
  private static String caption(String dom, String id) {
    int at = dom.indexOf("id=\"" + id + "\"");
    assertTrue(at >= 0, "no element #" + id);
    int p = dom.lastIndexOf("<p>", at);
    return dom.substring(p, dom.indexOf("</p>", p));
  }

  private static int countOf(String s, String part) {
    int n = 0;
    for (int i = s.indexOf(part); i >= 0; i = s.indexOf(part, i + 1)) {
      n++;
    }
    return n;
  }
}
