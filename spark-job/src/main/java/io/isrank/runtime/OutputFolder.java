package io.isrank.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.isrank.error.IsrankException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A run's output folder. Two promises: a failed run never leaves something that looks complete,
 * and isrank never deletes or changes anything it did not write.
 *
 * <p><b>Writing.</b> Everything goes to a hidden sibling {@code .<name>.isrank-tmp-<run id>},
 * created on first use with a {@link #MARKER} file, and is moved into place only at the end (a
 * rename: atomic on HDFS and local disks; object stores copy, so a reader there waits for {@code
 * run.json}, which is written last). The marker is rewritten at the end with the list of entries
 * the run wrote, so a later run can tell an isrank output from anything else.
 *
 * <p><b>What may be replaced.</b> {@code --overwrite} replaces only an earlier isrank output: a
 * folder with the marker whose every entry the marker lists (an output from before the marker
 * existed is recognised by its run.json and isrank's own entry names). A file, a folder without
 * the marker, or an output to which someone added a file of their own is refused, as is an output
 * that is, contains, or lies inside any input (the input data set, the model metadata, the history
 * tables) — checked on qualified paths with symbolic links resolved, with or without {@code
 * --overwrite}.
 *
 * <p><b>Replacing.</b> The old output is renamed aside to {@code .<name>.isrank-old-<run id>},
 * the new one is renamed into place, then the old one is deleted: at every moment a complete
 * output exists under one of the two names. If the process dies between the renames, the next run
 * on the same output reports the folder aside and leaves it for the user to rename back.
 *
 * <p><b>Leftovers.</b> Temporary folders of killed runs next to the output are reported as
 * warnings; one that carries the marker and was last written more than {@link #STALE_AFTER_MS}
 * before this run started is removed (a younger one may belong to a run still writing).
 */
public final class OutputFolder {
  private static final Logger LOG = LoggerFactory.getLogger("io.isrank");

  /** Written into every folder isrank writes; its first line is {@link #MARKER_HEADER}. */
  public static final String MARKER = "_ISRANK_OUTPUT";
  static final String MARKER_HEADER = "isrank output";
  /** Temporary folders older than this (last written before the run started) count as abandoned. */
  static final long STALE_AFTER_MS = 24L * 3600 * 1000;
  private static final String TMP = ".isrank-tmp-";
  private static final String OLD = ".isrank-old-";
  /** What a run output held before the marker existed (recognised together with its run.json). */
  private static final Set<String> LEGACY_ENTRIES = Set.of("ranking", "ranking.csv", "pairs", "pairs.csv",
      "pointwise", "pointwise.csv", "report.html", "run.json");

  private final FileSystem fs;
  private final Path target;
  private final Path temporary;
  private final boolean overwrite;
  private final String runId;
  private final long startedMillis = System.currentTimeMillis();
  private final List<String> notes = new ArrayList<>();
  private boolean created;
  private boolean kept;

  private OutputFolder(FileSystem fs, Path target, boolean overwrite, String runId) {
    this.fs = fs;
    this.target = target;
    this.temporary = new Path(target.getParent(), "." + target.getName() + TMP + runId);
    this.overwrite = overwrite;
    this.runId = runId;
  }

  /**
   * Checks the output up front, before any expensive work: it must not overlap an input, and an
   * existing one is accepted only with overwrite and only if it is an earlier isrank output.
   * Reports (and where safe removes) leftovers of killed runs next to it.
   *
   * @param inputs what the run reads, by role ("input", "model metadata", "history"); blank
   *     paths are skipped
   * @throws IsrankException naming the path and the way out
   */
  public static OutputFolder open(String path, boolean overwrite, String runId, Configuration conf,
      Map<String, String> inputs) {
    Path target = qualified("output", path, conf);
    for (Map.Entry<String, String> in : inputs.entrySet()) {
      if (in.getValue() != null && !in.getValue().isBlank()) {
        requireApart("output", target, in.getKey(), qualified(in.getKey(), in.getValue(), conf));
      }
    }
    if (target.getParent() == null) {
      throw new IsrankException("output '" + shown(target) + "' is the root of a file system; choose a folder for "
          + "the outputs (--output)");
    }
    try {
      FileSystem fs = io.isrank.runtime.HadoopPaths.fileSystem("output", target, conf);
      OutputFolder out = new OutputFolder(fs, target, overwrite, runId);
      FileStatus status = statusOrNull(fs, target);
      if (status != null) {
        if (!status.isDirectory()) {
          throw new IsrankException("output '" + shown(target) + "' is a file; isrank writes a folder and never "
              + "replaces a file it did not write" + (overwrite ? ", even with --overwrite" : "")
              + "; choose another --output");
        }
        if (!overwrite) {
          throw new IsrankException("output '" + shown(target) + "' already exists; choose another --output, or "
              + "pass --overwrite to replace it (only an earlier isrank output can be replaced)");
        }
        out.requireReplaceable();
      }
      FileStatus parent = statusOrNull(fs, target.getParent());
      if (parent != null && !parent.isDirectory()) {
        throw new IsrankException("output '" + shown(target) + "' cannot be created: '" + shown(target.getParent())
            + "' is a file");
      }
      if (parent != null) {
        out.tidyLeftovers();
      }
      return out;
    } catch (IOException e) {
      throw new IsrankException("output '" + Redaction.text(path) + "' cannot be used: "
          + Redaction.text(e.getMessage()), e);
    }
  }

  /**
   * Refuses two locations that are the same, or one inside the other (e.g. the history tables
   * inside the input), naming both by role.
   */
  public static void requireApart(String roleA, String a, String roleB, String b, Configuration conf) {
    if (a != null && !a.isBlank() && b != null && !b.isBlank()) {
      requireApart(roleA, qualified(roleA, a, conf), roleB, qualified(roleB, b, conf));
    }
  }

  private static void requireApart(String roleA, Path a, String roleB, Path b) {
    String how = Overlap.of(a.toUri(), b.toUri());
    if (how != null) {
      throw new IsrankException(roleA + " '" + shown(a) + "' " + how.replace("%s", roleB + " '" + shown(b) + "'")
          + "; isrank never writes where it reads or reads where it writes: choose another " + roleA
          + " location, apart from the " + roleB);
    }
  }

  /** Warnings for the run: leftovers found next to the output and what was done with them. */
  public List<String> notes() {
    return List.copyOf(notes);
  }

  public FileSystem fileSystem() {
    return fs;
  }

  /** Where the run writes until {@link #commit()}; created, with the marker, on first use. */
  public Path temporary() {
    if (!created) {
      try {
        if (fs.exists(temporary)) {
          throw new IsrankException("temporary folder '" + shown(temporary) + "' already exists; another run with the "
              + "same run id is writing there");
        }
        fs.mkdirs(temporary);
        created = true;
        writeMarker(temporary, Set.of());
      } catch (IOException e) {
        throw new IsrankException("cannot create the temporary output folder '" + shown(temporary) + "': "
            + Redaction.text(e.getMessage()), e);
      }
    }
    return temporary;
  }

  public Path target() {
    return target;
  }

  /**
   * Moves the finished outputs into place. With overwrite, an earlier isrank output is renamed
   * aside, the new one renamed in, and the old one deleted; if a step fails, whatever is complete
   * stays, and the message says where.
   */
  public void commit() throws IOException {
    Path dir = temporary();
    writeMarker(dir, entries(dir));
    FileStatus existing = statusOrNull(fs, target);
    if (existing == null) {
      moveIn();
      return;
    }
    if (!overwrite) {
      kept = true;
      throw new IsrankException("output '" + shown(target) + "' appeared while this run was going (another run?); "
          + "this run's complete results are kept in '" + shown(temporary) + "': rename that folder to use them");
    }
    try {
      requireReplaceable();
    } catch (IsrankException e) {
      kept = true;
      throw new IsrankException(e.getMessage() + "; this run's complete results are kept in '" + shown(temporary)
          + "'", e);
    }
    Path aside = new Path(target.getParent(), "." + target.getName() + OLD + runId);
    if (!fs.rename(target, aside)) {
      kept = true;
      throw new IsrankException("could not move the previous output '" + shown(target) + "' aside to replace it; it "
          + "is unchanged, and this run's complete results are kept in '" + shown(temporary) + "'");
    }
    LOG.info("replacing the previous output: moved aside to {} (if this process dies before the next step, rename "
        + "that folder back to {})", shown(aside), shown(target));
    if (!fs.rename(temporary, target) || !fs.exists(new Path(target, MARKER))) {
      boolean restored = !fs.exists(target) && fs.rename(aside, target);
      kept = true;
      throw new IsrankException("could not move the new outputs into '" + shown(target) + "'; "
          + (restored ? "the previous output is back in place" : "the previous output is in '" + shown(aside) + "'")
          + ", and this run's complete results are kept in '" + shown(temporary) + "'");
    }
    if (!fs.delete(aside, true)) {
      notes.add("the previous output, replaced by this run, is still in '" + shown(aside) + "'; it is safe to delete");
      LOG.warn("{}", notes.get(notes.size() - 1));
    }
  }

  /** Removes this run's temporary folder after a failure, unless a message said its results are kept there. */
  public void abandon() {
    if (!created || kept) {
      return;
    }
    try {
      fs.delete(temporary, true);
    } catch (IOException e) {
      LOG.warn("could not remove the temporary folder {} of this failed run: {}", shown(temporary),
          Redaction.text(e.getMessage()));
    }
  }

  private void moveIn() throws IOException {
    if (!fs.rename(temporary, target) || !fs.exists(new Path(target, MARKER))) {
      kept = true;
      throw new IsrankException("could not move the outputs from '" + shown(temporary) + "' to '" + shown(target)
          + "'; this run's complete results are kept in '" + shown(temporary) + "'");
    }
  }

  /** Refuses an existing folder that is not wholly an earlier isrank output. */
  private void requireReplaceable() throws IOException {
    Set<String> found = entries(target);
    Set<String> own = ownEntries(target, found);
    if (own == null) {
      throw new IsrankException("output '" + shown(target) + "' exists and is not an isrank output (it has no "
          + MARKER + " marker or isrank run.json); --overwrite replaces only an earlier isrank output, so it is left "
          + "untouched; choose another --output");
    }
    Set<String> foreign = new TreeSet<>(found);
    foreign.removeAll(own);
    foreign.remove(MARKER);
    if (!foreign.isEmpty()) {
      throw new IsrankException("output '" + shown(target) + "' is an isrank output but also holds "
          + quoted(foreign) + ", which isrank did not write; --overwrite would delete " + (foreign.size() == 1 ? "it"
          : "them") + ", so nothing was touched: move " + (foreign.size() == 1 ? "it" : "them")
          + " elsewhere or choose another --output");
    }
  }

  /**
   * The entries the folder's marker lists as written by isrank, or for an output from before the
   * marker its known entries if its run.json is isrank's; null when the folder is not isrank's.
   */
  private Set<String> ownEntries(Path dir, Set<String> found) throws IOException {
    Path marker = new Path(dir, MARKER);
    if (found.contains(MARKER)) {
      List<String> lines = readLines(marker);
      if (lines.isEmpty() || !lines.get(0).equals(MARKER_HEADER)) {
        return null;
      }
      Set<String> own = new TreeSet<>();
      for (String line : lines) {
        if (line.startsWith("entry ")) {
          own.add(line.substring("entry ".length()));
        }
      }
      return own;
    }
    if (found.contains("run.json")) {
      try (InputStream in = fs.open(new Path(dir, "run.json"))) {
        JsonNode run = new ObjectMapper().readTree(in);
        if (run != null && run.hasNonNull("run_id") && run.hasNonNull("isrank_version")) {
          return LEGACY_ENTRIES;
        }
      } catch (IOException | RuntimeException e) {
        return null;
      }
    }
    return null;
  }

  private void tidyLeftovers() throws IOException {
    String prefix = "." + target.getName();
    FileStatus[] siblings = fs.listStatus(target.getParent(),
        p -> p.getName().startsWith(prefix + TMP) || p.getName().startsWith(prefix + OLD));
    boolean targetExists = fs.exists(target);
    for (FileStatus s : siblings) {
      Path p = s.getPath();
      if (p.getName().equals(temporary.getName())) {
        continue;
      }
      Set<String> inside = s.isDirectory() ? entries(p) : Set.of();
      boolean ours = inside.contains(MARKER) && ownEntries(p, inside) != null;
      boolean stale = s.getModificationTime() < startedMillis - STALE_AFTER_MS;
      if (p.getName().startsWith(prefix + OLD) && !targetExists) {
        notes.add("'" + shown(p) + "' holds the previous output of '" + shown(target) + "', moved aside by a run that "
            + "stopped while replacing it; rename it to '" + target.getName() + "' to restore it (left untouched)");
      } else if (ours && stale) {
        fs.delete(p, true);
        notes.add("removed '" + shown(p) + "', an unfinished output left by an isrank run that stopped more than "
            + STALE_AFTER_MS / 3_600_000 + " hours ago");
      } else {
        notes.add("found '" + shown(p) + "' next to the output: " + (ours
            ? "an unfinished output of another isrank run, perhaps still writing; left untouched (it is removed once "
                + "it is more than " + STALE_AFTER_MS / 3_600_000 + " hours old)"
            : "not recognisably isrank's; left untouched"));
      }
    }
    notes.forEach(n -> LOG.warn("{}", n));
  }

  private void writeMarker(Path dir, Set<String> entries) throws IOException {
    StringBuilder s = new StringBuilder(MARKER_HEADER).append('\n').append("run_id ").append(runId).append('\n');
    for (String e : entries) {
      if (!e.equals(MARKER)) {
        s.append("entry ").append(e).append('\n');
      }
    }
    try (OutputStream os = fs.create(new Path(dir, MARKER), true)) {
      os.write(s.toString().getBytes(StandardCharsets.UTF_8));
    }
  }

  private List<String> readLines(Path file) throws IOException {
    try (InputStream in = fs.open(file)) {
      byte[] bytes = in.readNBytes(1 << 20);
      return Arrays.asList(new String(bytes, StandardCharsets.UTF_8).split("\n"));
    }
  }

  /** The folder's entries by name; the local file system's checksum files are not entries. */
  private Set<String> entries(Path dir) throws IOException {
    Set<String> names = new TreeSet<>();
    for (FileStatus s : fs.listStatus(dir)) {
      String n = s.getPath().getName();
      if (!(n.startsWith(".") && n.endsWith(".crc"))) {
        names.add(n);
      }
    }
    return names;
  }

  private static FileStatus statusOrNull(FileSystem fs, Path p) throws IOException {
    try {
      return fs.getFileStatus(p);
    } catch (FileNotFoundException e) {
      return null;
    }
  }

  /**
   * The path made absolute on its file system; on the local file system with symbolic links
   * resolved (through the deepest part of the path that exists), so two spellings of one folder
   * compare equal.
   */
  public static Path qualified(String role, String path, Configuration conf) {
    try {
      Path p = new Path(path.trim());
      FileSystem fs = io.isrank.runtime.HadoopPaths.fileSystem(role, p, conf);
      Path q = fs.makeQualified(p);
      if ("file".equals(q.toUri().getScheme())) {
        java.nio.file.Path local = java.nio.file.Paths.get(q.toUri()).normalize();
        java.nio.file.Path existing = local;
        while (existing != null && !java.nio.file.Files.exists(existing)) {
          existing = existing.getParent();
        }
        if (existing != null) {
          local = existing.toRealPath().resolve(existing.relativize(local));
        }
        q = new Path("file", null, local.toString()); // no trailing '/', so getName() is the folder's name
      }
      return q;
    } catch (IOException | IllegalArgumentException e) {
      throw new IsrankException(role + " '" + Redaction.text(path) + "' cannot be used: "
          + Redaction.text(e.getMessage()), e);
    }
  }

  private static String shown(Path p) {
    return Redaction.text(p.toString());
  }

  private static String quoted(Set<String> names) {
    List<String> q = names.stream().limit(5).map(n -> "'" + SafeText.printable(n) + "'").toList();
    return String.join(", ", q) + (names.size() > 5 ? " and " + (names.size() - 5) + " more" : "");
  }

  /** How two qualified locations overlap, as a phrase with %s for the second; null when apart. */
  static final class Overlap {
    private Overlap() {}

    static String of(URI a, URI b) {
      if (!same(a.getScheme(), b.getScheme()) || !same(host(a), host(b))) {
        return null;
      }
      List<String> pa = segments(a.getPath());
      List<String> pb = segments(b.getPath());
      if (pa.equals(pb)) {
        return "is the same location as the %s";
      }
      if (pb.size() > pa.size() && pb.subList(0, pa.size()).equals(pa)) {
        return "contains the %s";
      }
      if (pa.size() > pb.size() && pa.subList(0, pb.size()).equals(pb)) {
        return "lies inside the %s";
      }
      return null;
    }

    private static boolean same(String x, String y) {
      return x == null ? y == null : y != null && x.toLowerCase(Locale.ROOT).equals(y.toLowerCase(Locale.ROOT));
    }

    /** host[:port] without user info; the authority when there is no host (e.g. s3a buckets with '_'). */
    private static String host(URI u) {
      if (u.getHost() != null) {
        return u.getHost() + (u.getPort() >= 0 ? ":" + u.getPort() : "");
      }
      String auth = u.getAuthority();
      return auth == null ? null : auth.substring(auth.lastIndexOf('@') + 1);
    }

    private static List<String> segments(String path) {
      List<String> out = new ArrayList<>();
      for (String s : (path == null ? "" : path).split("/")) {
        if (!s.isEmpty() && !s.equals(".")) {
          out.add(s);
        }
      }
      return out;
    }
  }

  /** Roles and paths of what a run reads, skipping blanks (for {@link #open}). */
  public static Map<String, String> inputs(String... roleAndPath) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i + 1 < roleAndPath.length; i += 2) {
      if (roleAndPath[i + 1] != null && !roleAndPath[i + 1].isBlank()) {
        m.put(roleAndPath[i], roleAndPath[i + 1]);
      }
    }
    return m;
  }
}
