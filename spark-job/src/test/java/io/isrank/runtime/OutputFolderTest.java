package io.isrank.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.isrank.error.IsrankException;
import io.isrank.report.TreeSnapshot;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The output folder touches nothing it did not write: it refuses what is not an earlier isrank
 * output, never overlaps an input, replaces by rename-aside so a complete output always exists,
 * and tells the truth about where results are. Local file system, no Spark.
 */
class OutputFolderTest {
  private static final Configuration CONF = new Configuration();

  @TempDir
  Path dir;

  private static OutputFolder open(Path out, boolean overwrite, String runId, Map<String, String> inputs) {
    return OutputFolder.open(out.toString(), overwrite, runId, CONF, inputs);
  }

  /** A complete output as a run leaves it: a few files, committed. */
  private static OutputFolder writeOutput(Path out, boolean overwrite, String runId, String content) throws IOException {
    OutputFolder o = open(out, overwrite, runId, Map.of());
    Path tmp = Path.of(o.temporary().toUri());
    Files.writeString(tmp.resolve("run.json"), "{\"run_id\":\"" + runId + "\",\"isrank_version\":\"t\"}");
    Files.writeString(tmp.resolve("ranking.csv"), content);
    Files.createDirectories(tmp.resolve("ranking"));
    Files.writeString(tmp.resolve("ranking").resolve("part-0.parquet"), content);
    o.commit();
    return o;
  }

  private static void assertRefused(String expected, Runnable call) {
    IsrankException e = assertThrows(IsrankException.class, call::run);
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }

  @Test
  void outputEqualToInsideOrContainingTheInputIsRefusedEvenWithOverwrite() throws IOException {
    Path input = Files.createDirectories(dir.resolve("par/in"));
    Files.writeString(input.resolve("part-0.parquet"), "data");
    Files.writeString(dir.resolve("par/thesis.txt"), "x");
    Map<String, String> before = TreeSnapshot.of(dir);
    for (boolean overwrite : new boolean[] {false, true}) {
      Map<String, String> inputs = Map.of("input", input.toString());
      assertRefused("is the same location as the input", () -> open(input, overwrite, "r1", inputs));
      assertRefused("contains the input", () -> open(dir.resolve("par"), overwrite, "r1", inputs));
      assertRefused("lies inside the input", () -> open(input.resolve("out"), overwrite, "r1", inputs));
      // spelled differently: with '..', with a trailing slash, through a symbolic link
      assertRefused("is the same location", () -> OutputFolder.open(input + "/../in/", overwrite, "r1", CONF, inputs));
      Path link = Files.createSymbolicLink(dir.resolve("link-" + overwrite), input);
      assertRefused("is the same location", () -> open(link, overwrite, "r1", inputs));
      Files.delete(link);
    }
    assertEquals(before, TreeSnapshot.of(dir));
  }

  @Test
  void historyAndMetadataAreInputsToo() throws IOException {
    Path history = Files.createDirectories(dir.resolve("history"));
    assertRefused("lies inside the history", () -> open(history.resolve("run1"), true, "r1",
        Map.of("history", history.toString())));
    assertRefused("contains the model metadata", () -> open(dir, true, "r1",
        Map.of("model metadata", dir.resolve("meta/models.csv").toString())));
    assertRefused("history '", () -> OutputFolder.requireApart("history", dir.resolve("in/h").toString(), "input",
        dir.resolve("in").toString(), CONF));
  }

  @Test
  void aFileIsNeverReplaced() throws IOException {
    Path file = Files.writeString(dir.resolve("budget.xlsx"), "s");
    for (boolean overwrite : new boolean[] {false, true}) {
      assertRefused("is a file", () -> open(file, overwrite, "r1", Map.of()));
    }
    assertEquals("s", Files.readString(file));
  }

  @Test
  void aFolderThatIsNotAnIsrankOutputIsNeverReplaced() throws IOException {
    Path u = Files.createDirectories(dir.resolve("u/docs"));
    Files.writeString(u.resolve("a.txt"), "a");
    Files.writeString(dir.resolve("u/run.json"), "{\"not\": \"ours\"}");
    Map<String, String> before = TreeSnapshot.of(dir);
    assertRefused("already exists", () -> open(dir.resolve("u"), false, "r1", Map.of()));
    assertRefused("is not an isrank output", () -> open(dir.resolve("u"), true, "r1", Map.of()));
    assertEquals(before, TreeSnapshot.of(dir));
  }

  @Test
  void anEarlierOutputIsReplacedAndNothingIsLeftBeside() throws IOException {
    Path out = dir.resolve("out");
    writeOutput(out, false, "r1", "old");
    writeOutput(out, true, "r2", "new");
    assertEquals("new", Files.readString(out.resolve("ranking.csv")));
    assertTrue(Files.readString(out.resolve(OutputFolder.MARKER)).contains("run_id r2"));
    try (var s = Files.list(dir)) {
      assertEquals(List.of("out"), s.map(p -> p.getFileName().toString()).toList(), "no temporary or aside folder");
    }
  }

  @Test
  void anOutputFromBeforeTheMarkerIsRecognisedByItsRunJson() throws IOException {
    Path out = Files.createDirectories(dir.resolve("legacy/ranking"));
    Files.writeString(dir.resolve("legacy/run.json"), "{\"run_id\":\"20261129-1\",\"isrank_version\":\"0.1.0\"}");
    Files.writeString(dir.resolve("legacy/report.html"), "<html>");
    writeOutput(dir.resolve("legacy"), true, "r2", "new");
    assertEquals("new", Files.readString(dir.resolve("legacy/ranking.csv")));
    assertFalse(Files.exists(out.resolve("part-0")));
  }

  @Test
  void anOutputWithAUsersFileAddedIsNotReplaced() throws IOException {
    Path out = dir.resolve("out");
    writeOutput(out, false, "r1", "old");
    Files.writeString(out.resolve("notes.txt"), "mine");
    Map<String, String> before = TreeSnapshot.of(dir);
    assertRefused("also holds 'notes.txt', which isrank did not write", () -> open(out, true, "r2", Map.of()));
    assertEquals(before, TreeSnapshot.of(dir));
  }

  @Test
  void anOutputThatAppearsDuringTheRunKeepsTheResultsWhereTheMessageSays() throws IOException {
    Path out = dir.resolve("out");
    OutputFolder o = open(out, false, "r1", Map.of());
    Path tmp = Path.of(o.temporary().toUri());
    Files.writeString(tmp.resolve("run.json"), "{}");
    Files.createDirectories(out.resolve("theirs"));
    IsrankException e = assertThrows(IsrankException.class, o::commit);
    o.abandon(); // as the pipeline does after any failure
    assertTrue(e.getMessage().contains("kept in '") && e.getMessage().contains(tmp.getFileName().toString()),
        e.getMessage());
    assertTrue(Files.isRegularFile(tmp.resolve("run.json")), "the results are where the message says");
    assertTrue(Files.isDirectory(out.resolve("theirs")));
  }

  @Test
  void aFailedRunRemovesOnlyItsOwnTemporaryFolder() throws IOException {
    Path out = dir.resolve("out");
    OutputFolder o = open(out, false, "r1", Map.of());
    Path tmp = Path.of(o.temporary().toUri());
    Files.writeString(tmp.resolve("ranking.csv"), "partial");
    o.abandon();
    assertFalse(Files.exists(tmp));
    OutputFolder never = open(out, false, "r2", Map.of());
    never.abandon(); // nothing was created, nothing is deleted
    assertTrue(Files.exists(dir));
  }

  /** A local file system whose rename of a temporary output into place fails. */
  public static final class FailingMoveIn extends RawLocalFileSystem {
    @Override
    public URI getUri() {
      return URI.create("failmove:///");
    }

    @Override
    public boolean rename(org.apache.hadoop.fs.Path src, org.apache.hadoop.fs.Path dst) throws IOException {
      return !src.getName().contains(".isrank-tmp-") && super.rename(src, dst);
    }
  }

  @Test
  void aReplaceThatCannotMoveTheNewOutputInPutsTheOldOneBack() throws IOException {
    Path out = dir.resolve("out");
    writeOutput(out, false, "r1", "old");
    Map<String, String> before = TreeSnapshot.of(out);
    Configuration conf = new Configuration();
    conf.set("fs.failmove.impl", FailingMoveIn.class.getName());
    conf.setBoolean("fs.failmove.impl.disable.cache", true);
    OutputFolder o = OutputFolder.open("failmove://" + out, true, "r2", conf, Map.of());
    Path tmp = Path.of(URI.create("file://" + o.temporary().toUri().getPath()));
    Files.writeString(tmp.resolve("ranking.csv"), "new");
    IsrankException e = assertThrows(IsrankException.class, o::commit);
    o.abandon();
    assertTrue(e.getMessage().contains("the previous output is back in place"), e.getMessage());
    assertEquals(before, TreeSnapshot.of(out), "the previous output is complete and unchanged");
    assertEquals("new", Files.readString(tmp.resolve("ranking.csv")), "the new results are kept as said");
  }

  @Test
  void leftoversOfKilledRunsAreReportedAndOnlyStaleOnesOfOursRemoved() throws IOException {
    Path out = dir.resolve("out");
    writeOutput(out, false, "r0", "current");
    FileTime twoDaysAgo = FileTime.fromMillis(System.currentTimeMillis() - 48L * 3600 * 1000);
    Path stale = Files.createDirectories(dir.resolve(".out.isrank-tmp-r1"));
    Files.writeString(stale.resolve(OutputFolder.MARKER), "isrank output\nrun_id r1\n");
    Files.writeString(stale.resolve("ranking.csv"), "partial");
    Files.setLastModifiedTime(stale, twoDaysAgo);
    Path young = Files.createDirectories(dir.resolve(".out.isrank-tmp-r2"));
    Files.writeString(young.resolve(OutputFolder.MARKER), "isrank output\nrun_id r2\n");
    Path foreign = Files.createDirectories(dir.resolve(".out.isrank-tmp-r3"));
    Files.writeString(foreign.resolve("mine.txt"), "not isrank's");
    Files.setLastModifiedTime(foreign, twoDaysAgo);

    OutputFolder o = open(out, true, "r4", Map.of());
    assertFalse(Files.exists(stale), "a stale temporary folder of isrank's is removed");
    assertTrue(Files.exists(young.resolve(OutputFolder.MARKER)), "a recent one may belong to a running run");
    assertEquals("not isrank's", Files.readString(foreign.resolve("mine.txt")));
    String notes = String.join("\n", o.notes());
    assertTrue(notes.contains("removed '") && notes.contains(".out.isrank-tmp-r1"), notes);
    assertTrue(notes.contains(".out.isrank-tmp-r2") && notes.contains("perhaps still writing"), notes);
    assertTrue(notes.contains(".out.isrank-tmp-r3") && notes.contains("not recognisably isrank's"), notes);
  }

  @Test
  void aPreviousOutputLeftAsideByADeadReplaceIsReportedForRestoring() throws IOException {
    Path aside = dir.resolve(".out.isrank-old-r1");
    writeOutput(aside, false, "r1", "old");
    Files.move(aside, dir.resolve("moved"));
    Files.move(dir.resolve("moved"), aside); // as a replace that died between its two renames leaves it
    Files.setLastModifiedTime(aside, FileTime.fromMillis(System.currentTimeMillis() - 48L * 3600 * 1000));
    OutputFolder o = open(dir.resolve("out"), false, "r2", Map.of());
    assertTrue(Files.exists(aside.resolve("ranking.csv")), "never deleted: it is the only complete output");
    assertTrue(String.join("\n", o.notes()).contains("rename it to 'out' to restore it"), o.notes().toString());
  }
}
