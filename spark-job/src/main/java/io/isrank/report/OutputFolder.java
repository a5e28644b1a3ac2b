package io.isrank.report;

import io.isrank.error.IsrankException;
import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * A run's output folder, written so that a failed run never leaves something that looks complete:
 * everything goes to a hidden sibling {@code .<name>.isrank-tmp-<run id>} and is renamed into place
 * only at the end (an atomic rename on HDFS and local disks; object stores copy, so a reader there
 * should wait for {@code run.json}, which is written last). An existing output is never replaced
 * unless asked.
 */
public final class OutputFolder {
  private final FileSystem fs;
  private final Path target;
  private final Path temporary;
  private final boolean overwrite;

  private OutputFolder(FileSystem fs, Path target, Path temporary, boolean overwrite) {
    this.fs = fs;
    this.target = target;
    this.temporary = temporary;
    this.overwrite = overwrite;
  }

  /**
   * Checks the target up front (before any expensive work) and reserves the temporary folder.
   *
   * @throws IsrankException if the output exists and overwrite is off
   */
  public static OutputFolder open(String path, boolean overwrite, String runId, Configuration conf) {
    try {
      Path target = new Path(path);
      FileSystem fs = target.getFileSystem(conf);
      target = fs.makeQualified(target);
      if (fs.exists(target) && !overwrite) {
        throw new IsrankException("output '" + path + "' already exists; choose another --output or pass "
            + "--overwrite to replace it");
      }
      if (target.getParent() == null) {
        throw new IsrankException("output '" + path + "' cannot be a file system root");
      }
      Path temporary = new Path(target.getParent(), "." + target.getName() + ".isrank-tmp-" + runId);
      return new OutputFolder(fs, target, temporary, overwrite);
    } catch (IOException e) {
      throw new IsrankException("output '" + path + "' cannot be used: " + e.getMessage(), e);
    }
  }

  public FileSystem fileSystem() {
    return fs;
  }

  /** Where the run writes until {@link #commit()}. */
  public Path temporary() {
    return temporary;
  }

  public Path target() {
    return target;
  }

  /** Moves the finished outputs into place, replacing an existing output if overwrite is on. */
  public void commit() throws IOException {
    if (fs.exists(target)) {
      if (!overwrite) {
        throw new IsrankException("output '" + target + "' appeared while the run was going; the results are left in '"
            + temporary + "'");
      }
      fs.delete(target, true);
    }
    if (!fs.rename(temporary, target)) {
      throw new IsrankException("could not move the outputs from '" + temporary + "' to '" + target + "'");
    }
  }

  /** Removes the temporary folder after a failure (best effort). */
  public void abandon() {
    try {
      fs.delete(temporary, true);
    } catch (IOException ignored) {
      // the folder is hidden and named as temporary; nothing can mistake it for a result
    }
  }
}
