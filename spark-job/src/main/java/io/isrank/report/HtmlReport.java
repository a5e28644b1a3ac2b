package io.isrank.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.DoubleUnaryOperator;
import java.util.function.Function;

/**
 * report.html: one self-contained page (no scripts, fonts or network) with the ranking and its
 * intervals, the IS(U→V) matrix as a heatmap ordered by rank, the per-model counts and the run's
 * provenance. Every string from the data is HTML-escaped.
 */
public final class HtmlReport {
  private HtmlReport() {}

  /** Escapes &amp; &lt; &gt; &quot; &#39; for text and attribute values. */
  public static String escape(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  /**
   * For each rank but the last, whether its interval separates it from the next rank's: "ahead"
   * (the lower end lies above the next one's upper end) or "tied within uncertainty"; "&mdash;"
   * without intervals (rank.bootstrap = 0) and for the last rank.
   */
  public static List<String> versusNext(List<RankingRow> ranking) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < ranking.size(); i++) {
      RankingRow r = ranking.get(i);
      RankingRow next = i + 1 < ranking.size() ? ranking.get(i + 1) : null;
      if (next == null || r.lower() == null || next.upper() == null) {
        out.add("&mdash;");
      } else {
        out.add(r.lower() > next.upper() ? "ahead" : "tied within uncertainty");
      }
    }
    return out;
  }

  /**
   * True when every ordered pair's IS equals its reverse's up to rounding (the Gaussian estimator
   * with the target's density from the joint fit gives the mutual information both ways).
   */
  static boolean symmetric(List<PairRow> pairs) {
    boolean any = false;
    for (PairRow p : pairs) {
      for (PairRow q : pairs) {
        if (q.source().equals(p.target()) && q.target().equals(p.source())) {
          any = true;
          if (Math.abs(p.sufficiency() - q.sufficiency()) > 1e-9 * Math.max(1, Math.abs(p.sufficiency()))) {
            return false;
          }
        }
      }
    }
    return any;
  }

  /** A heatmap of one value per ordered pair, rows and columns in rank order. */
  private static void matrix(StringBuilder h, String id, String title, String caption, List<String> order,
      List<String> columns, List<PairRow> pairs, java.util.function.ToDoubleFunction<PairRow> value) {
    h.append("<h2>").append(title).append("</h2><p>").append(caption).append("</p><table id=\"").append(id)
        .append("\"><tr><th class=\"l\">U \\ V</th>");
    for (String c : columns) {
      h.append("<th>").append(escape(c)).append("</th>");
    }
    h.append("</tr>");
    double top = pairs.stream().mapToDouble(value).max().orElse(1);
    for (String u : order) {
      h.append("<tr><th class=\"l\">").append(escape(u)).append("</th>");
      for (String v : columns) {
        PairRow p = pairs.stream().filter(x -> x.source().equals(u) && x.target().equals(v)).findFirst().orElse(null);
        if (p == null) {
          h.append("<td class=\"hm\">&middot;</td>");
        } else {
          double x = value.applyAsDouble(p);
          double t = top <= 0 ? 0 : Math.max(0, Math.min(1, x / top));
          int light = (int) Math.round(97 - 55 * t);
          h.append("<td class=\"hm\" style=\"background:hsl(220,60%,").append(light).append("%)").append(
              light < 60 ? ";color:#fff" : "").append("\">").append(num(x))
              .append(p.mayBeTruncated() ? "&dagger;" : "").append("</td>");
        }
      }
      h.append("</tr>");
    }
    h.append("</table>");
  }

  /** What each model kept of its embedding, and why (reduce.dims). */
  private static void directions(StringBuilder h, List<RankingRow> ranking, List<PairRow> pairs) {
    h.append("<h2>Directions kept</h2><p>IS is measured on each model's whitened principal directions. With "
        + "reduce.dims = auto (the default) isrank keeps every direction that carries detectable information about "
        + "another model, so a model's information is not cut to its directions of largest variance; a fixed "
        + "reduce.dims keeps that many directions of largest variance.</p><table id=\"directions\"><tr>"
        + "<th class=\"l\">model</th><th>dim</th><th>kept</th><th>variance kept</th><th class=\"l\">why</th></tr>");
    for (RankingRow r : ranking) {
      h.append("<tr><td class=\"l\">").append(escape(r.model())).append("</td><td>").append(r.dim())
          .append("</td><td>").append(r.reducedDim()).append("</td><td>")
          .append(String.format(Locale.ROOT, "%.1f%%", 100 * r.explainedVariance())).append("</td><td class=\"l wrap\">")
          .append(escape(r.reduction() == null ? "" : r.reduction())).append("</td></tr>");
    }
    h.append("</table>");
    List<PairRow> cut = pairs.stream().filter(PairRow::mayBeTruncated).toList();
    if (!cut.isEmpty()) {
      h.append("<p class=\"warn\">IS may be truncated for ").append(cut.size()).append(" direction")
          .append(cut.size() == 1 ? "" : "s").append(" (e.g. ").append(escape(cut.get(0).source())).append(" &rarr; ")
          .append(escape(cut.get(0).target())).append("): a cap cut directions that still carried shared information. "
          + "Raise reduce.max-dims, give more fit rows, or use reduce.dims = auto.</p>");
    }
  }

  /**
   * @param counts   per model: label → value rows (rows read, aligned, dropped …)
   * @param footer   provenance lines (versions, seed, input)
   * @param comparison what changed since an earlier run, or null
   */
  public static String render(String title, List<RankingRow> ranking, List<PairRow> pairs,
      List<PointwiseRow> pointwise, Map<String, Map<String, Object>> counts, Map<String, Double> timings, List<String> warnings,
      Map<String, Object> config, List<String> footer, Comparison.Result comparison) {
    StringBuilder h = new StringBuilder();
    h.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
        .append(escape(title)).append("</title><style>")
        .append("body{font-family:system-ui,-apple-system,Segoe UI,Helvetica,Arial,sans-serif;margin:2em;color:#222}")
        .append("table{border-collapse:collapse;margin:1em 0}td,th{padding:4px 8px;border-bottom:1px solid #ddd;")
        .append("text-align:right;white-space:nowrap}th{background:#f4f4f4}td.l,th.l{text-align:left}")
        .append(".bar{position:relative;height:14px;width:320px;background:#f0f0f0}")
        .append(".bar span{position:absolute;top:0;height:14px;background:#4a7bd0}")
        .append(".bar i{position:absolute;top:6px;height:2px;background:#111}")
        .append(".bar i:before,.bar i:after{content:'';position:absolute;top:-4px;width:1px;height:10px;background:#111}")
        .append(".bar i:before{left:0}.bar i:after{right:0}")
        .append(".bar b{position:absolute;top:-2px;width:1px;height:18px;background:#888}")
        .append(".bar.axis{height:16px;background:none;border-top:1px solid #888}.bar.axis em{position:absolute;")
        .append("top:2px;transform:translateX(-50%);font-style:normal;font-size:10px;color:#555}")
        .append(".up{color:#070}.down{color:#a40}")
        .append("td.hm{width:3.2em;color:#000;font-size:80%}.warn{color:#a40}footer{color:#666;font-size:85%}")
        .append("svg.cost{margin:0.5em 1em 1em 0;border:1px solid #ddd;background:#fff}svg.cost text{font-size:11px}")
        .append("ul.why li{margin:0.3em 0}td.wrap{white-space:normal;max-width:40em}")
        .append("</style></head><body>");
    h.append("<h1>").append(escape(title)).append("</h1>");
    h.append("<p>Models are ranked by <b>informativeness</b>: the median over the other models V of the information "
        + "sufficiency IS(U&rarr;V), how much of V's embedding can be simulated from U's, divided by V's dimension. "
        + "Higher is more promising. Bars show the estimate; the black line its bootstrap interval. Overlapping "
        + "intervals mean the data cannot tell those models apart.</p>");

    double max = ranking.stream().mapToDouble(r -> Math.max(r.informativeness(), r.upper() == null ? 0 : r.upper()))
        .max().orElse(1);
    double min = Math.min(0, ranking.stream().mapToDouble(r -> r.lower() == null ? r.informativeness() : r.lower())
        .min().orElse(0));
    double[] ticks = ticks(min, max);
    min = Math.min(min, ticks[0]);
    max = Math.max(max, ticks[ticks.length - 1]);
    double span = max - min <= 0 ? 1 : max - min;
    h.append("<h2>Ranking</h2><table id=\"ranking\"><tr><th>rank</th><th class=\"l\">model</th>"
        + "<th>informativeness<br><small>median IS / size of V</small></th><th>interval</th><th class=\"l\"></th>"
        + "<th>vs the next rank</th><th>dim</th><th>reduced</th></tr>");
    List<String> versusNext = versusNext(ranking);
    for (int i = 0; i < ranking.size(); i++) {
      RankingRow r = ranking.get(i);
      double left = 100 * (0 - min) / span;
      double right = 100 * (r.informativeness() - min) / span;
      h.append("<tr><td>").append(r.rank()).append(r.medianTied() ? "*" : "").append("</td><td class=\"l\">")
          .append(escape(r.model())).append("</td><td>").append(num(r.informativeness())).append("</td><td>")
          .append(r.lower() == null ? "&mdash;" : "[" + num(r.lower()) + ", " + num(r.upper()) + "]")
          .append("</td><td class=\"l\"><div class=\"bar\"><span style=\"left:")
          .append(pct(Math.min(left, right))).append("%;width:").append(pct(Math.abs(right - left))).append("%\"></span>")
          .append("<b class=\"zero\" style=\"left:").append(pct(left)).append("%\"></b>");
      if (r.lower() != null) {
        double lo = 100 * (r.lower() - min) / span;
        double hi = 100 * (r.upper() - min) / span;
        h.append("<i class=\"interval\" style=\"left:").append(pct(lo)).append("%;width:")
            .append(pct(Math.max(hi - lo, 0.3))).append("%\"></i>");
      }
      h.append("</div></td><td class=\"l\">").append(versusNext.get(i)).append("</td><td>").append(r.dim())
          .append("</td><td>").append(r.reducedDim()).append("</td></tr>");
    }
    // the bars' axis: ticks at round values, in the unit of informativeness
    h.append("<tr class=\"axis\"><td></td><td class=\"l\"><small>axis: ").append(unit(config))
        .append("</small></td><td></td><td></td><td class=\"l\"><div class=\"bar axis\" id=\"bar-axis\">");
    for (double t : ticks) {
      h.append("<em style=\"left:").append(pct(100 * (t - min) / span)).append("%\">").append(tick(t))
          .append("</em>");
    }
    h.append("</div></td><td></td><td></td><td></td></tr>");
    h.append("</table>");
    h.append("<p>Bars start at 0 (the grey line); the black line with end caps is the bootstrap interval. "
        + "Informativeness is in the units of the normalised matrix below (nats per dimension of the target "
        + "with the default rank.normalisation = dim). <i>vs the next rank</i>: <b>ahead</b> when this model's "
        + "interval lies wholly above the next one's; <b>tied within uncertainty</b> when the intervals overlap, so "
        + "the data cannot order the two.</p>");
    if (ranking.stream().anyMatch(RankingRow::medianTied)) {
      h.append("<p>* the median ties with another model's; the mean over targets decides the order.</p>");
    }

    comparison(h, comparison, unit(config));
    directions(h, ranking, pairs);

    List<String> order = ranking.stream().map(RankingRow::model).toList();
    List<String> columns = pairs.stream().map(PairRow::target).distinct()
        .sorted(java.util.Comparator.comparingInt(t -> order.indexOf(t) < 0 ? Integer.MAX_VALUE : order.indexOf(t)))
        .toList();
    boolean symmetric = symmetric(pairs);
    String truncated = pairs.stream().anyMatch(PairRow::mayBeTruncated) ? " &dagger; marks a pair whose IS may be cut "
        + "by a cap on the kept directions." : "";
    matrix(h, "matrix", "IS(U&rarr;V) in nats", (symmetric
        ? "Information (nats) that row U's embedding carries about column V's. <b>This matrix is symmetric</b>: with "
            + "a single Gaussian per density and the target's density taken from the joint fit, IS(U&rarr;V) equals "
            + "IS(V&rarr;U), the mutual information of the two reduced embeddings. That is the correct estimate, not "
            + "a fault: the direction enters the ranking only through the division by the target's size, in the next "
            + "matrix."
        : "Information (nats) about column V's embedding that row U's embedding provides, h(V) &minus; h(V|U).")
        + " Each value is the held-out mean of the pointwise score plus the held-out bias correction (pairs table, "
        + "bias_correction); darker is more information; models in rank order." + truncated, order, columns, pairs,
        PairRow::sufficiency);
    String normalisation = config == null ? null : String.valueOf(config.get("rank.normalisation"));
    String per = switch (normalisation == null ? "" : normalisation) {
      case "dim" -> "V's original dimension, so each value is in nats per dimension of V";
      case "reduced-dim" -> "the number of directions V kept, so each value is in nats per kept direction of V";
      case "entropy" -> "V's entropy h(V) in whitened coordinates, so each value is a fraction of V's information";
      case "none" -> "nothing (rank.normalisation = none), so it equals IS in nats";
      default -> "V's normaliser (rank.normalisation)";
    };
    matrix(h, "matrix-normalised", "IS(U&rarr;V) / size of V: what the ranking uses",
        "The same estimates divided by " + per + ". A model's informativeness is the median of its row." + truncated,
        order, columns, pairs, PairRow::normalisedSufficiency);

    explanations(h, ranking);
    costs(h, ranking, unit(config));
    pointwise(h, pointwise);

    h.append("<h2>Input</h2><p>Rows read per model, what was dropped and why, and how many items every model "
        + "shares (aligned): only those are used.</p><table id=\"counts\"><tr><th class=\"l\">model</th>");
    List<String> labels = counts.values().stream().findFirst().map(m -> List.copyOf(m.keySet())).orElse(List.of());
    for (String l : labels) {
      h.append("<th>").append(escape(l)).append("</th>");
    }
    h.append("</tr>");
    for (Map.Entry<String, Map<String, Object>> e : counts.entrySet()) {
      h.append("<tr><td class=\"l\">").append(escape(e.getKey())).append("</td>");
      for (String l : labels) {
        h.append("<td>").append(escape(String.valueOf(e.getValue().get(l)))).append("</td>");
      }
      h.append("</tr>");
    }
    h.append("</table>");
    if (!warnings.isEmpty()) {
      h.append("<h2>Warnings</h2><ul>");
      for (String w : warnings) {
        h.append("<li class=\"warn\">").append(escape(w)).append("</li>");
      }
      h.append("</ul>");
    }
    h.append("<h2>Timings</h2><table id=\"timings\">");
    for (Map.Entry<String, Double> e : timings.entrySet()) {
      h.append("<tr><td class=\"l\">").append(escape(e.getKey())).append("</td><td>")
          .append(String.format(Locale.ROOT, "%.2f s", e.getValue())).append("</td></tr>");
    }
    h.append("</table>");
    h.append("<h2>Configuration</h2><table id=\"config\">");
    for (Map.Entry<String, Object> e : config.entrySet()) {
      h.append("<tr><td class=\"l\">").append(escape(e.getKey())).append("</td><td class=\"l\">")
          .append(escape(String.valueOf(e.getValue()))).append("</td></tr>");
    }
    h.append("</table><footer>");
    for (String f : footer) {
      h.append(escape(f)).append("<br>");
    }
    h.append("</footer></body></html>\n");
    return h.toString();
  }

  /** The unit of informativeness under the run's rank.normalisation. */
  static String unit(Map<String, Object> config) {
    String normalisation = config == null ? "" : String.valueOf(config.get("rank.normalisation"));
    return switch (normalisation) {
      case "dim" -> "nats per dimension of the target";
      case "reduced-dim" -> "nats per kept direction of the target";
      case "entropy" -> "fraction of the target's entropy";
      case "none" -> "nats";
      default -> "IS / size of the target";
    };
  }

  /**
   * Round tick values covering [lo, hi] (steps of 1, 2 or 5 times a power of ten, at most seven
   * ticks), the first at or below lo and the last at or above hi.
   */
  static double[] ticks(double lo, double hi) {
    if (!(hi > lo)) {
      hi = lo + 1;
    }
    double power = Math.pow(10, Math.floor(Math.log10((hi - lo) / 4)));
    double step = power;
    for (double f : new double[] {1, 2, 5, 10}) {
      step = f * power;
      if (Math.ceil(hi / step - 1e-9) - Math.floor(lo / step + 1e-9) <= 6) {
        break;
      }
    }
    double first = Math.floor(lo / step + 1e-9) * step;
    int n = (int) Math.round(Math.ceil(hi / step - 1e-9) - Math.floor(lo / step + 1e-9)) + 1;
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      double t = first + i * step;
      out[i] = Math.abs(t) < step * 1e-9 ? 0 : t;
    }
    return out;
  }

  /** A tick label: the value without trailing zeros. */
  static String tick(double v) {
    String s = String.format(Locale.ROOT, "%.6g", v);
    if (s.contains("e")) {
      return s;
    }
    return s.contains(".") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
  }

  /** "Since the earlier run": rank moves, informativeness changes with intervals, models added or removed. */
  private static void comparison(StringBuilder h, Comparison.Result c, String unit) {
    if (c == null) {
      return;
    }
    Comparison.Baseline b = c.baseline();
    h.append("<h2 id=\"comparison-title\">Since the earlier run</h2><p>Compared with run <b>")
        .append(escape(b.runId())).append("</b>").append(b.finished() == null ? "" : " (finished "
            + escape(seconds(b.finished())) + ")").append(", from the ").append(escape(b.source())).append(": ")
        .append(c.count("kept")).append(" models in both, ").append(c.count("added")).append(" added, ")
        .append(c.count("removed")).append(" removed. ");
    for (String note : c.notes()) {
      h.append(escape(note.substring(0, 1).toUpperCase(Locale.ROOT) + note.substring(1))).append(". ");
    }
    h.append("<i>Move</i> is in ranks (&uarr; up, &darr; down). <i>Change</i> is this run's informativeness minus "
        + "the earlier one's, in ").append(unit).append(", with an interval that adds the two runs' interval "
        + "half-widths in quadrature (independent estimates); <b>up</b> or <b>down</b> when that interval excludes "
        + "0, <b>within uncertainty</b> otherwise. The intervals cover the sampling of held-out items only; another "
        + "seed also draws another fit sample, so a verdict whose interval ends near 0 is weak evidence.</p>"
        + "<table id=\"comparison\"><tr><th class=\"l\">model</th>"
        + "<th>rank now</th><th>rank before</th><th>move</th><th>informativeness now</th><th>before</th>"
        + "<th>change</th><th>change interval</th><th class=\"l\">verdict</th></tr>");
    for (Comparison.Row r : c.rows()) {
      String move = switch (r.status()) {
        case "added" -> "new";
        case "removed" -> "removed";
        default -> r.rankMove() > 0 ? "&uarr;" + r.rankMove() : r.rankMove() < 0 ? "&darr;" + -r.rankMove() : "=";
      };
      h.append("<tr class=\"").append(r.status()).append("\"><td class=\"l\">").append(escape(r.model()))
          .append("</td><td>").append(r.rank() == null ? "&mdash;" : String.valueOf(r.rank())).append("</td><td>")
          .append(r.previousRank() == null ? "&mdash;" : String.valueOf(r.previousRank())).append("</td><td>")
          .append(move).append("</td><td>").append(r.informativeness() == null ? "&mdash;" : num(r.informativeness()))
          .append("</td><td>").append(r.previousInformativeness() == null ? "&mdash;"
              : num(r.previousInformativeness())).append("</td><td>")
          .append(r.delta() == null ? "&mdash;" : (r.delta() > 0 ? "+" : "") + num(r.delta())).append("</td><td>")
          .append(r.deltaLower() == null ? "&mdash;" : "[" + num(r.deltaLower()) + ", " + num(r.deltaUpper()) + "]")
          .append("</td><td class=\"l").append("up".equals(r.change()) ? " up" : "down".equals(r.change())
              ? " down" : "").append("\">").append(r.change() == null
              ? (r.status().equals("kept") ? "not comparable" : "&mdash;") : escape(r.change())).append("</td></tr>");
    }
    h.append("</table>");
  }

  /** An ISO instant to the second ("2026-12-02T09:04:01Z"); anything else as it is. */
  private static String seconds(String instant) {
    try {
      return java.time.Instant.parse(instant).truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
    } catch (java.time.format.DateTimeParseException e) {
      return instant;
    }
  }

  private static void explanations(StringBuilder h, List<RankingRow> ranking) {
    h.append("<h2>Why each model ranks where it does</h2><p>From the IS matrix: the targets a model simulates best "
        + "and worst (IS per target dimension), how many models it simulates better than the median source does, "
        + "the model that simulates it best, and the models carrying similar information (average-linkage "
        + "clustering of the symmetrised IS, cut at the largest drop).</p><ul class=\"why\" id=\"explanations\">");
    for (RankingRow r : ranking) {
      h.append("<li><b>").append(escape(r.model())).append("</b> (group ").append(r.group()).append("): ")
          .append(escape(r.explanation())).append("</li>");
    }
    h.append("</ul>");
  }

  /** One scatter of informativeness vs cost per cost that at least two models have, the front drawn. */
  private static void costs(StringBuilder h, List<RankingRow> ranking, String unit) {
    String[] names = {"embedding dimension", "parameters", "ms per item (one core)", "model size (bytes)",
        "memory footprint (bytes)"};
    List<Function<RankingRow, Double>> getters = List.of(r -> (double) r.dim(), RankingRow::parameters,
        RankingRow::msPerItem, RankingRow::modelBytes, RankingRow::memoryBytes);
    List<Function<RankingRow, Boolean>> fronts = List.of(RankingRow::paretoDim, RankingRow::paretoParameters,
        RankingRow::paretoMs, RankingRow::paretoModelBytes, RankingRow::paretoMemoryBytes);
    h.append("<h2>Informativeness vs cost</h2><p>Filled points are on the Pareto front: no other model is at least "
        + "as informative for at most the cost; the line joins the front. The efficiency columns of ranking.csv give "
        + "informativeness (negative counted as 0) per unit of the source model's cost. Costs come from the model "
        + "metadata (input.metadata); a model without a value is left out of that plot.</p>");
    for (int c = 0; c < names.length; c++) {
      List<RankingRow> known = new ArrayList<>();
      for (RankingRow r : ranking) {
        if (getters.get(c).apply(r) != null) {
          known.add(r);
        }
      }
      if (known.size() >= 2) {
        scatter(h, names[c], known, getters.get(c), fronts.get(c), c, unit);
      }
    }
  }

  private static void scatter(StringBuilder h, String name, List<RankingRow> rows, Function<RankingRow, Double> cost,
      Function<RankingRow, Boolean> front, int id, String unit) {
    final int w = 480;
    final int ht = 300;
    final int left = 56;
    final int right = 170;
    final int top = 20;
    final int bottom = 40;
    double xmin = rows.stream().mapToDouble(cost::apply).min().orElse(0);
    double xmax = rows.stream().mapToDouble(cost::apply).max().orElse(1);
    boolean log = xmin > 0 && xmax / xmin > 20;
    DoubleUnaryOperator fx = v -> log ? Math.log10(v) : v;
    double a = fx.applyAsDouble(xmin);
    double b = fx.applyAsDouble(xmax);
    if (b - a <= 0) {
      a -= 1;
      b += 1;
    }
    if (!log) { // a linear axis runs from tick to tick
      double[] xt = ticks(a, b);
      a = xt[0];
      b = xt[xt.length - 1];
    }
    double[] yTicks = ticks(Math.min(0, rows.stream().mapToDouble(RankingRow::informativeness).min().orElse(0)),
        rows.stream().mapToDouble(RankingRow::informativeness).max().orElse(1));
    double ymin = yTicks[0];
    double ymax = yTicks[yTicks.length - 1];
    final double ax = a;
    final double bx = b;
    final double ay = ymin;
    final double by = ymax;
    DoubleUnaryOperator px = v -> left + (fx.applyAsDouble(v) - ax) / (bx - ax) * (w - left - right);
    DoubleUnaryOperator py = v -> top + (by - v) / (by - ay) * (ht - top - bottom);
    h.append("<svg class=\"cost\" id=\"cost-").append(id).append("\" width=\"").append(w).append("\" height=\"")
        .append(ht).append("\" role=\"img\"><title>informativeness vs ").append(escape(name)).append("</title>");
    h.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#999\"/>", left,
        ht - bottom, w - right, ht - bottom));
    h.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#999\"/>", left, top,
        left, ht - bottom));
    h.append(String.format(Locale.ROOT, "<text class=\"x-title\" x=\"%d\" y=\"%d\">%s%s</text>", left, ht - 6,
        escape(name), log ? " (log scale)" : ""));
    h.append(String.format(Locale.ROOT, "<text class=\"y-title\" x=\"%d\" y=\"12\">informativeness (%s)</text>",
        4, escape(unit)));
    // y ticks with grid lines; the zero line darker
    for (double t : yTicks) {
      double y = py.applyAsDouble(t);
      h.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"%s\"/>",
          left - 3, y, w - right, y, t == 0 ? "#888" : "#eee"));
      h.append(String.format(Locale.ROOT, "<text class=\"y-tick\" x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>",
          left - 5, y + 4, tick(t)));
    }
    // x ticks: decades on a log scale, round values otherwise
    double[] xTicks = log ? java.util.stream.DoubleStream.iterate(Math.ceil(ax - 1e-9), t -> t <= bx + 1e-9, t -> t + 1)
        .map(t -> Math.pow(10, t)).toArray() : ticks(ax, bx);
    if (xTicks.length < 2) {
      xTicks = new double[] {xmin, xmax};
    }
    for (double t : xTicks) {
      double x = px.applyAsDouble(t);
      if (x < left - 0.5 || x > w - right + 0.5) {
        continue;
      }
      h.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#999\"/>"
          + "<text class=\"x-tick\" x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>", x, ht - bottom, x,
          ht - bottom + 4, x, ht - bottom + 15, costText(t)));
    }
    List<RankingRow> onFront = rows.stream().filter(r -> Boolean.TRUE.equals(front.apply(r)))
        .sorted(java.util.Comparator.comparingDouble(cost::apply)).toList();
    if (onFront.size() > 1) {
      StringBuilder pts = new StringBuilder();
      for (RankingRow r : onFront) {
        pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", px.applyAsDouble(cost.apply(r)),
            py.applyAsDouble(r.informativeness())));
      }
      h.append("<polyline class=\"front\" fill=\"none\" stroke=\"#d0704a\" stroke-width=\"1.5\" points=\"")
          .append(pts.toString().trim()).append("\"/>");
    }
    double[] xs = new double[rows.size()];
    double[] ys = new double[rows.size()];
    for (int i = 0; i < rows.size(); i++) {
      xs[i] = px.applyAsDouble(cost.apply(rows.get(i)));
      ys[i] = py.applyAsDouble(rows.get(i).informativeness());
    }
    double[] labelYs = labelPositions(xs, ys);
    for (int i = 0; i < rows.size(); i++) {
      RankingRow r = rows.get(i);
      boolean f = Boolean.TRUE.equals(front.apply(r));
      double x = xs[i];
      double y = ys[i];
      double labelY = labelYs[i];
      h.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4\" fill=\"%s\" stroke=\"#4a7bd0\" "
          + "class=\"%s\"><title>", x, y, f ? "#4a7bd0" : "#fff", f ? "on-front" : "dominated"))
          .append(escape(r.model())).append(": ").append(num(r.informativeness())).append(" at ")
          .append(costText(cost.apply(r))).append("</title></circle>");
      h.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\">", x + 6, labelY)).append(escape(r.model()))
          .append("</text>");
    }
    h.append("</svg>");
  }

  /** Label width and line height of the scatter plots, in pixels. */
  private static final double LABEL_WIDTH = 110;
  private static final double LABEL_HEIGHT = 11;

  /**
   * The baseline of each point's label: 4 px below the point, pushed down past any earlier label it
   * would overlap. A label moves only to just below an overlapping one (never back), so each moves at
   * most once per earlier label. (Comparing |Δy| &lt; 11 alone looped forever when rounding made the
   * distance to the label it had just moved below 10.999…: a report that never finished.)
   */
  static double[] labelPositions(double[] xs, double[] ys) {
    double[] label = new double[xs.length];
    for (int i = 0; i < xs.length; i++) {
      double y = ys[i] + 4;
      boolean moved = true;
      for (int round = 0; moved && round <= i; round++) {
        moved = false;
        for (int j = 0; j < i; j++) {
          double below = label[j] + LABEL_HEIGHT;
          if (Math.abs(xs[j] - xs[i]) < LABEL_WIDTH && Math.abs(label[j] - y) < LABEL_HEIGHT && y < below) {
            y = below;
            moved = true;
          }
        }
      }
      label[i] = y;
    }
    return label;
  }

  private static void pointwise(StringBuilder h, List<PointwiseRow> rows) {
    if (rows.isEmpty()) {
      return;
    }
    int shown = 0;
    h.append("<h2>Items simulated worst</h2><p>Per ordered pair, the held-out items with the lowest pointwise "
        + "sufficiency s<sub>i</sub> = log p(v<sub>i</sub>|u<sub>i</sub>) &minus; log p(v<sub>i</sub>): where the "
        + "source's embedding says least about the target's. Up to three per pair are shown; pointwise.csv has the "
        + "full top-k at both ends.</p><table id=\"pointwise\"><tr><th class=\"l\">source</th>"
        + "<th class=\"l\">target</th><th>#</th><th class=\"l\">id</th><th>s<sub>i</sub></th></tr>");
    for (PointwiseRow r : rows) {
      if (!r.kind().equals("worst") || r.position() > 3) {
        continue;
      }
      if (++shown > 300) {
        break;
      }
      h.append("<tr><td class=\"l\">").append(escape(r.source())).append("</td><td class=\"l\">")
          .append(escape(r.target())).append("</td><td>").append(r.position()).append("</td><td class=\"l\">")
          .append(escape(r.id())).append("</td><td>").append(num(r.sufficiency())).append("</td></tr>");
    }
    h.append("</table>");
  }

  private static String costText(double v) {
    if (Math.abs(v) >= 1e5) {
      return String.format(Locale.ROOT, "%.2e", v);
    }
    return v == Math.rint(v) ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.3g", v);
  }

  private static String num(double v) {
    return String.format(Locale.ROOT, Math.abs(v) >= 100 ? "%.1f" : Math.abs(v) >= 1 ? "%.3f" : "%.4f", v);
  }

  private static String pct(double v) {
    return String.format(Locale.ROOT, "%.2f", Math.max(0, Math.min(100, v)));
  }
}
