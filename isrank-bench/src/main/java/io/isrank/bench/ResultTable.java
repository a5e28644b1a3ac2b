package io.isrank.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Writes benchmark and calibration rows (same keys in every row) as CSV and a Markdown table. */
final class ResultTable {
  private ResultTable() {}

  static void write(Path dir, String name, String preamble, List<Map<String, String>> rows) throws IOException {
    if (rows.isEmpty()) {
      return;
    }
    Files.createDirectories(dir);
    List<String> header = new ArrayList<>(rows.get(0).keySet());
    StringBuilder csv = new StringBuilder(String.join(",", header)).append('\n');
    StringBuilder md = new StringBuilder(preamble).append("\n\n| ").append(String.join(" | ", header))
        .append(" |\n|").append("---|".repeat(header.size())).append('\n');
    for (Map<String, String> row : rows) {
      csv.append(String.join(",", header.stream()
          .map(h -> io.isrank.runtime.SafeText.csvCell(row.get(h).replace(',', ';'))).toList())).append('\n');
      md.append("| ").append(String.join(" | ", header.stream().map(row::get).toList())).append(" |\n");
    }
    Files.writeString(dir.resolve(name + ".csv"), csv.toString());
    Files.writeString(dir.resolve(name + ".md"), md.toString());
  }
}
