package io.isrank.runtime;

import io.isrank.error.IsrankException;
import java.io.IOException;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.UnsupportedFileSystemException;
import org.apache.hadoop.util.VersionInfo;

/** The file system behind a path, with one clear error when its connector is not on the classpath. */
public final class HadoopPaths {
  /** The package that brings each common object store's Hadoop FileSystem. */
  private static final Map<String, String> CONNECTORS = Map.of(
      "s3a", "org.apache.hadoop:hadoop-aws",
      "gs", "com.google.cloud.bigdataoss:gcs-connector",
      "abfs", "org.apache.hadoop:hadoop-azure",
      "abfss", "org.apache.hadoop:hadoop-azure",
      "wasb", "org.apache.hadoop:hadoop-azure",
      "wasbs", "org.apache.hadoop:hadoop-azure",
      "oss", "org.apache.hadoop:hadoop-aliyun");

  private HadoopPaths() {}

  /**
   * The path's file system.
   *
   * @param role what the path is to the run ("input", "output", …), for the message
   * @throws IsrankException naming the scheme and the package to add when no FileSystem serves
   *     it, or the reason it cannot be reached
   */
  public static FileSystem fileSystem(String role, Path path, Configuration conf) {
    try {
      return path.getFileSystem(conf);
    } catch (UnsupportedFileSystemException e) {
      throw missing(role, path, e);
    } catch (IOException e) {
      throw new IsrankException(role + " '" + Redaction.text(path.toString()) + "' cannot be used: "
          + Redaction.text(e.getMessage()), e);
    } catch (RuntimeException e) {
      // fs.<scheme>.impl names a class that is not on the classpath (s3a in Hadoop's own defaults)
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t instanceof ClassNotFoundException) {
          throw missing(role, path, e);
        }
      }
      throw e;
    }
  }

  private static IsrankException missing(String role, Path path, Exception cause) {
    String scheme = String.valueOf(path.toUri().getScheme()).toLowerCase(Locale.ROOT);
    String pkg = CONNECTORS.getOrDefault(scheme, "the Hadoop FileSystem connector for '" + scheme + "'");
    return new IsrankException(role + " '" + Redaction.text(path.toString()) + "': no Hadoop FileSystem for scheme '"
        + scheme + "' on the classpath; add " + pkg + (pkg.startsWith("org.apache.hadoop:") ? ":"
        + VersionInfo.getVersion() + " (it must match Hadoop " + VersionInfo.getVersion() + ")" : "")
        + ", e.g. with spark-submit --packages, or use a Spark installation that ships it", cause);
  }
}
