package io.isrank.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.isrank.runtime.Redaction;
import io.isrank.runtime.SafeText;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;

/**
 * Secrets in Spark/Hadoop settings and in input URIs never reach a log line, the console,
 * run.json, the report, the tables or the history; names from the data never become spreadsheet
 * formulas or terminal control sequences.
 */
class SecretsAndNamesTest extends SparkTestBase {
  private static final String EXAMPLE = new File("../datasets/example").getAbsolutePath();
  private static final String SECRET = "TOPSECRET4242";
  private static final String ACCESS = "AKIASECRETACCESS";

  private record Outcome(int code, String out, String err, String log) {}

  private Outcome run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try (LogCapture log = new LogCapture()) {
      int code = IsrankJob.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
          new PrintStream(err, true, StandardCharsets.UTF_8));
      return new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8), log.text());
    }
  }

  /** Every byte of every file under the folder, as text (Parquet stores strings as UTF-8). */
  private static String allBytes(Path root) throws IOException {
    StringBuilder s = new StringBuilder();
    try (var walk = Files.walk(root)) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        if (Files.isRegularFile(p)) {
          s.append(new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1));
        }
      }
    }
    return s.toString();
  }

  @Test
  void secretSettingsNeverReachLogsRunJsonReportOrHistory() throws IOException {
    spark.conf().set("spark.hadoop.fs.s3a.secret.key", SECRET);
    spark.conf().set("spark.hadoop.fs.s3a.access.key", ACCESS);
    try {
      Path out = scratch.resolve("secret-out");
      Path history = scratch.resolve("secret-history");
      Outcome o = run("--config", "../conf/example.conf", "--input", EXAMPLE, "--output", out.toString(),
          "--output.history", history.toString(), "--rank.bootstrap", "0");
      assertEquals(0, o.code(), o.err());
      for (String where : List.of(o.out(), o.err(), o.log(), allBytes(out), allBytes(history))) {
        assertFalse(where.contains(SECRET) || where.contains(ACCESS), "a secret leaked");
      }
      JsonNode settings = new ObjectMapper().readTree(out.resolve("run.json").toFile()).at("/spark/settings");
      assertEquals(Redaction.MASK, settings.get("spark.hadoop.fs.s3a.secret.key").asText(),
          "the setting is recorded, its value is not");
      assertTrue(settings.has("spark.app.name") && settings.has("spark.master"), "other settings are shown");
      assertTrue(o.log().contains("stage 9/9 write"), "the log was captured");
    } finally {
      spark.conf().unset("spark.hadoop.fs.s3a.secret.key");
      spark.conf().unset("spark.hadoop.fs.s3a.access.key");
    }
  }

  @Test
  void credentialsInTheInputUriNeverReachTheConsoleOrTheLog() {
    // gs: the one common object store whose connector the build does not carry (S3A it does)
    String uri = "gs://AKIAEXAMPLE:wJalrXUtnFEMI" + SECRET + "@bucket/lake/embeddings";
    for (String verbose : List.of("--seed", "--verbose")) {
      List<String> args = new java.util.ArrayList<>(List.of("--input", uri, "--output",
          scratch.resolve("cred-out").toString()));
      if (verbose.equals("--verbose")) {
        args.add(verbose);
      }
      Outcome o = run(args.toArray(String[]::new));
      assertEquals(2, o.code(), o.err());
      assertEquals("isrank: error: input 'gs://<redacted>@bucket/lake/embeddings': no Hadoop FileSystem for scheme "
          + "'gs' on the classpath; add com.google.cloud.bigdataoss:gcs-connector, e.g. with spark-submit --packages, "
          + "or use a Spark installation that ships it", o.err().lines().findFirst().orElse(""), o.err());
      assertFalse((o.out() + o.err() + o.log()).contains(SECRET), o.err());
    }
  }

  @Test
  void namesFromTheDataAreNeitherFormulasNorControlSequences() throws IOException {
    String formula = "=HYPERLINK(\"http://evil.example\",\"x\")";
    String at = "@risk";
    String escape = "tty\u001b[2Jclear";
    String[] names = {formula, at, escape};
    double[][] cov = new double[6][6];
    for (int i = 0; i < 6; i++) {
      for (int j = 0; j < 6; j++) {
        cov[i][j] = i == j ? 1 : (i % 2 == j % 2 ? 0.6 : 0.0);
      }
    }
    String input = write("hostile-names", gaussianModels(names, new int[] {0, 2, 4, 6}, cov, 1200, 7), 2);
    Path out = scratch.resolve("hostile-out");
    Outcome o = run("--input", input, "--output", out.toString(), "--reduce.dims", "2", "--rank.bootstrap", "0");
    assertEquals(0, o.code(), o.err());
    assertFalse(o.out().contains("\u001b"), "the console table escapes control characters");
    assertTrue(o.out().contains("tty\\u001b[2Jclear"), o.out());

    List<String> textColumns = List.of("model", "strongest_target", "weakest_target", "best_simulator", "explanation",
        "source", "target");
    for (String table : List.of("ranking.csv", "pairs.csv")) {
      try (Reader r = Files.newBufferedReader(out.resolve(table));
          var csv = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build().parse(r)) {
        List<CSVRecord> records = csv.getRecords();
        assertFalse(records.isEmpty());
        for (CSVRecord rec : records) {
          for (String column : textColumns) {
            if (rec.isMapped(column)) {
              assertFalse(SafeText.startsLikeFormula(rec.get(column)), table + " " + column + ": " + rec.get(column));
            }
          }
        }
        assertTrue(records.stream().anyMatch(rec -> rec.get(rec.isMapped("model") ? "model" : "source")
            .equals("'" + formula)), "the formula is kept, as text");
      }
    }
    // the Parquet table keeps the names as they are
    List<String> models = spark.read().parquet(out.resolve("ranking").toString()).select("model")
        .as(org.apache.spark.sql.Encoders.STRING()).collectAsList();
    assertTrue(models.containsAll(List.of(formula, at, escape)), models.toString());
  }
}
