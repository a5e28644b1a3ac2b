package io.isrank.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/** Every file and folder under a root, with a SHA-256 of each file's bytes: "untouched" made checkable. */
public final class TreeSnapshot {
  private TreeSnapshot() {}

  /** Relative path → "dir" or the file's SHA-256; the root itself as "." (a file root is hashed). */
  public static Map<String, String> of(Path root) {
    Map<String, String> out = new TreeMap<>();
    try (var walk = Files.walk(root)) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        String rel = root.relativize(p).toString();
        out.put(rel.isEmpty() ? "." : rel, Files.isDirectory(p) ? "dir" : sha256(p));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  private static String sha256(Path p) throws IOException {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
