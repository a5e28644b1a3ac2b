package io.isrank.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.isrank.report.TreeSnapshot;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.commons.io.FileUtils;
import org.junit.jupiter.api.Test;

/**
 * The reproductions of "--overwrite deletes the user's data", through the job's entry
 * point as a user runs it: each ends in one clear refusal with exit code 2, and every file the
 * user had is still there byte for byte.
 */
class UserDataSafetyTest extends SparkTestBase {
  private static final File EXAMPLE = new File("../datasets/example").getAbsoluteFile();

  /** Exit code and the error stream of one run of the job. */
  private record Outcome(int code, String err) {}

  private Outcome run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = IsrankJob.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Outcome(code, err.toString(StandardCharsets.UTF_8));
  }

  private static void assertRefused(Outcome o, String expected) {
    assertEquals(2, o.code(), o.err());
    assertTrue(o.err().startsWith("isrank: error: ") && o.err().contains(expected), o.err());
    assertEquals(1, o.err().strip().lines().count(), "one line, no stack trace: " + o.err());
  }

  private Path copyOfExample(Path where) throws IOException {
    FileUtils.copyDirectory(EXAMPLE, where.toFile());
    return where;
  }

  @Test
  void outputEqualToTheInputIsRefusedAndTheInputSurvives() throws IOException {
    Path in = copyOfExample(scratch.resolve("same/in"));
    Map<String, String> before = TreeSnapshot.of(scratch.resolve("same"));
    assertRefused(run("--input", in.toString(), "--output", in.toString(), "--overwrite"),
        "is the same location as the input");
    assertRefused(run("--input", in.toString(), "--output", in.toString()), "is the same location as the input");
    assertEquals(before, TreeSnapshot.of(scratch.resolve("same")));
  }

  @Test
  void outputContainingTheInputIsRefusedAndItsOtherFilesSurvive() throws IOException {
    copyOfExample(scratch.resolve("par/in"));
    Files.writeString(scratch.resolve("par/thesis.txt"), "x");
    Map<String, String> before = TreeSnapshot.of(scratch.resolve("par"));
    assertRefused(run("--input", scratch.resolve("par/in").toString(), "--output", scratch.resolve("par").toString(),
        "--overwrite"), "contains the input");
    assertEquals(before, TreeSnapshot.of(scratch.resolve("par")));
  }

  @Test
  void outputInsideTheInputIsRefused() throws IOException {
    Path in = copyOfExample(scratch.resolve("nest/in"));
    Map<String, String> before = TreeSnapshot.of(in);
    assertRefused(run("--input", in.toString(), "--output", in.resolve("results").toString()),
        "lies inside the input");
    assertRefused(run("--input", in.toString(), "--output", scratch.resolve("nest/out").toString(),
        "--output.history", in.resolve("history").toString()), "history '");
    assertEquals(before, TreeSnapshot.of(in));
  }

  @Test
  void anUnrelatedFolderIsNeverReplaced() throws IOException {
    Files.createDirectories(scratch.resolve("u/docs"));
    Files.writeString(scratch.resolve("u/docs/a.txt"), "a");
    Map<String, String> before = TreeSnapshot.of(scratch.resolve("u"));
    assertRefused(run("--input", EXAMPLE.toString(), "--output", scratch.resolve("u").toString(), "--overwrite"),
        "is not an isrank output");
    assertEquals(before, TreeSnapshot.of(scratch.resolve("u")));
  }

  @Test
  void aFileIsNeverTurnedIntoAFolder() throws IOException {
    Path budget = Files.writeString(scratch.resolve("budget.xlsx"), "s");
    assertRefused(run("--input", EXAMPLE.toString(), "--output", budget.toString(), "--overwrite"), "is a file");
    assertEquals("s", Files.readString(budget));
  }

  @Test
  void dotAndDotDotAreRefused() throws IOException {
    // the tests run in spark-job/: '.' is this module (not an isrank output), '..' holds the input
    Map<String, String> pom = TreeSnapshot.of(Path.of("pom.xml"));
    assertRefused(run("--input", EXAMPLE.toString(), "--output", ".", "--overwrite"), "is not an isrank output");
    assertRefused(run("--input", EXAMPLE.toString(), "--output", "..", "--overwrite"), "contains the input");
    assertEquals(pom, TreeSnapshot.of(Path.of("pom.xml")));
    assertTrue(Files.isDirectory(Path.of("src/main/java")) && EXAMPLE.isDirectory());
  }
}
