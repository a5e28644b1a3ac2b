package io.isrank.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keeps secrets out of everything isrank writes or logs: log lines, error messages, Spark job
 * descriptions, run.json, the report and the history tables.
 *
 * <p>Two kinds of secret are recognised. <em>User info in a URI</em> ({@code
 * s3a://KEY:SECRET@bucket/path}, {@code https://user:pw@host/}) anywhere in a text becomes {@code
 * s3a://<redacted>@bucket/path}; a query parameter whose name looks secret ({@code
 * ?X-Amz-Signature=…}, {@code &token=…}) keeps its name and loses its value. <em>Settings whose
 * name looks secret</em> (contains key, secret, password, passwd, token, credential or signature,
 * in any case: {@code spark.hadoop.fs.s3a.secret.key}, {@code spark.authenticate.secret}) keep
 * their name and show {@link #MASK} as value. This is deliberately broader than Spark's own
 * {@code spark.redaction.regex}: a harmless setting shown masked costs nothing, a leaked key costs
 * a rotation.
 */
public final class Redaction {
  /** What a redacted value reads as. */
  public static final String MASK = "<redacted>";

  private static final Pattern SECRET_NAME =
      Pattern.compile("(?i)key|secret|password|passwd|token|credential|signature");
  /**
   * scheme://user[:password]@ — the user part has no '/', the password part may (S3 secrets do);
   * either ends at the first '@'.
   */
  private static final Pattern USER_INFO =
      Pattern.compile("\\b([A-Za-z][A-Za-z0-9+.-]*://)[^\\s/@?#]+(?::[^\\s@]*)?@");
  private static final Pattern SECRET_QUERY = Pattern.compile(
      "([?&][^=&\\s]*(?i:key|secret|password|passwd|token|credential|signature)[^=&\\s]*=)[^&\\s#]*");

  private Redaction() {}

  /** True when a setting of this name holds a secret and its value must not be shown. */
  static boolean isSecretName(String name) {
    return name != null && SECRET_NAME.matcher(name).find();
  }

  /** The text with the user info of every URI in it, and secret query values, masked. */
  public static String text(String text) {
    if (text == null) {
      return null;
    }
    String s = USER_INFO.matcher(text).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + MASK + "@"));
    return SECRET_QUERY.matcher(s).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + MASK));
  }

  /** A setting's value as it may be shown: masked when its name looks secret, else with URIs redacted. */
  public static Object value(String name, Object value) {
    if (value == null) {
      return null;
    }
    if (isSecretName(name)) {
      return MASK;
    }
    if (value instanceof CharSequence cs) {
      return text(cs.toString());
    }
    if (value instanceof List<?> list) {
      List<Object> out = new ArrayList<>();
      for (Object o : list) {
        out.add(value(name, o));
      }
      return out;
    }
    if (value instanceof Map<?, ?> map) {
      return settings(map);
    }
    return value;
  }

  /** Settings (name → value) as they may be shown, sorted by name; see {@link #value}. */
  public static Map<String, Object> settings(Map<?, ?> settings) {
    Map<String, Object> out = new TreeMap<>();
    settings.forEach((k, v) -> out.put(String.valueOf(k), value(String.valueOf(k), v)));
    return out;
  }

  /** A throwable's message chain and stack trace as text, every message redacted. */
  public static String stackTrace(Throwable t) {
    java.io.StringWriter w = new java.io.StringWriter();
    t.printStackTrace(new java.io.PrintWriter(w));
    return text(w.toString());
  }
}
