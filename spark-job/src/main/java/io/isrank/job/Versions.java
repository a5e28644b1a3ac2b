package io.isrank.job;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** Versions recorded in run.json and shown by --version. */
final class Versions {
  private Versions() {}

  /** isrank's version, from the jar manifest; "dev" when run from classes. */
  public static String isrank() {
    String v = Versions.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }

  /**
   * The git commit the build came from ({@code io/isrank/git.properties}, written by the build),
   * with "-dirty" when the tree had uncommitted changes; "unknown" when built without git.
   */
  public static String commit() {
    try (InputStream in = Versions.class.getResourceAsStream("/io/isrank/git.properties")) {
      if (in == null) {
        return "unknown";
      }
      Properties p = new Properties();
      p.load(in);
      String id = p.getProperty("git.commit.id.full", "").trim();
      if (id.isEmpty() || id.startsWith("${")) {
        return "unknown";
      }
      return id + ("true".equals(p.getProperty("git.dirty")) ? "-dirty" : "");
    } catch (IOException e) {
      return "unknown";
    }
  }
}
