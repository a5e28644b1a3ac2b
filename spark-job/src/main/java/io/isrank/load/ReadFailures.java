package io.isrank.load;

import io.isrank.error.InputException;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.SparkThrowable;

/**
 * Turns Spark's failure to read an input file (an unreadable Parquet footer, a file that is not
 * Parquet, a column whose type differs from the others') into one input error that names the file
 * and its model, instead of a stack trace. Spark reports these as {@code FAILED_READ_FILE.*}
 * conditions, from the driver (schema inference) or from a task (the scan).
 */
public final class ReadFailures {
  private ReadFailures() {}

  /** The input error behind {@code e}, or null when it is not a failure to read an input file. */
  public static InputException of(Throwable e, String modelColumn) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SparkThrowable s && s.getCondition() != null && s.getCondition().startsWith("FAILED_READ_FILE")) {
        Map<String, String> parameters = s.getMessageParameters();
        String path = parameters == null ? null : parameters.get("path");
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
          root = root.getCause();
        }
        String detail = root == t || root.getMessage() == null ? null : root.getMessage().lines().findFirst().orElse(null);
        return new InputException(message(s.getCondition(), path, modelColumn, detail), e);
      }
    }
    return null;
  }

  static String message(String condition, String path, String modelColumn, String detail) {
    String file = path == null ? "an input file" : "input file '" + path + "'";
    String model = modelOf(path, modelColumn);
    String what = switch (condition) {
      case "FAILED_READ_FILE.CANNOT_READ_FILE_FOOTER" -> "its Parquet footer is missing or corrupt (a truncated or "
          + "partly written file, or not Parquet)";
      case "FAILED_READ_FILE.FILE_NOT_EXIST" -> "it no longer exists (was the input changed while isrank read it?)";
      case "FAILED_READ_FILE.PARQUET_COLUMN_DATA_TYPE_MISMATCH" -> "one of its columns has another type than in the "
          + "model's other files";
      default -> "Spark could not read it" + (detail == null ? "" : " (" + detail + ")");
    };
    return file + (model == null ? "" : " (model '" + model + "')") + " cannot be read: " + what + " [" + condition
        + "]; replace the file, or move it out of the input to rank without its rows";
  }

  /** The model a file belongs to from its {@code <modelColumn>=<name>} folder, or null. */
  static String modelOf(String path, String modelColumn) {
    if (path == null) {
      return null;
    }
    Matcher m = Pattern.compile("(?:^|/)" + Pattern.quote(modelColumn) + "=([^/]+)/").matcher(path);
    String found = null;
    while (m.find()) {
      found = m.group(1);
    }
    return found == null ? null : java.net.URLDecoder.decode(found.replace("+", "%2B"),
        java.nio.charset.StandardCharsets.UTF_8);
  }
}
