package io.isrank.job;

/** Versions recorded in run.json and shown by --version. */
public final class Versions {
  private Versions() {}

  /** isrank's version, from the jar manifest; "dev" when run from classes. */
  public static String isrank() {
    String v = Versions.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }
}
