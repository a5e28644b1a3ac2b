package io.isrank.runtime;

/**
 * Text from the data (model names, ids, explanations) made safe for where it is shown.
 *
 * <ul>
 *   <li>{@link #csvCell}: a spreadsheet opening a CSV runs a cell that begins with {@code =},
 *       {@code +}, {@code -} or {@code @} as a formula (and tab or carriage return can smuggle one
 *       in). As the OWASP guidance on CSV injection says, such a cell is prefixed with a single
 *       quote, which spreadsheets show as text; quoting of the cell itself is the CSV printer's
 *       job. Only text cells are touched: numbers are written as numbers.
 *   <li>{@link #printable}: control characters (C0, DEL, C1) and invisible format characters
 *       (bidirectional overrides, zero-width marks) in a name would move the cursor, recolour
 *       the terminal or reorder a console table; they are shown as {@code \\uXXXX} escapes.
 * </ul>
 */
public final class SafeText {
  private SafeText() {}

  /** A plain decimal number: a spreadsheet reads it as a number, never as a formula. */
  private static final java.util.regex.Pattern NUMBER =
      java.util.regex.Pattern.compile("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?");

  /**
   * True when a spreadsheet would read a cell starting like this as a formula: it begins with
   * =, +, -, @, tab or carriage return and is not a plain number (−0.0042 stays a number).
   */
  public static boolean startsLikeFormula(String s) {
    if (s == null || s.isEmpty()) {
      return false;
    }
    char c = s.charAt(0);
    boolean trigger = c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
    return trigger && !NUMBER.matcher(s).matches();
  }

  /** The text as a CSV cell: prefixed with a single quote when it would start a formula. */
  public static String csvCell(String s) {
    return startsLikeFormula(s) ? "'" + s : s;
  }

  /**
   * Undoes {@link #csvCell} for a program reading a CSV that isrank wrote: a quote followed by a
   * formula character is removed; anything else is returned as it is.
   */
  public static String fromCsvCell(String s) {
    return s != null && s.length() > 1 && s.charAt(0) == '\'' && startsLikeFormula(s.substring(1)) ? s.substring(1)
        : s;
  }

  /** A CSV record's values: strings neutralised by {@link #csvCell}, other values as they are. */
  public static Object[] csvRecord(Object... values) {
    Object[] out = values.clone();
    for (int i = 0; i < out.length; i++) {
      if (out[i] instanceof String s) {
        out[i] = csvCell(s);
      }
    }
    return out;
  }

  /** The text with control and invisible format characters escaped, for a console or a log line. */
  public static String printable(String s) {
    return printable(s, false);
  }

  /**
   * As {@link #printable(String)}; {@code keepLineBreaks} leaves '\n' as it is, for messages that
   * list several problems on their own lines.
   */
  public static String printable(String s, boolean keepLineBreaks) {
    if (s == null) {
      return "null";
    }
    StringBuilder out = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean unsafe = (Character.isISOControl(c) && !(keepLineBreaks && c == '\n'))
          || Character.getType(c) == Character.FORMAT;
      if (unsafe && out == null) {
        out = new StringBuilder(s.length() + 16).append(s, 0, i);
      }
      if (out != null) {
        if (unsafe) {
          out.append(String.format(java.util.Locale.ROOT, "\\u%04x", (int) c));
        } else {
          out.append(c);
        }
      }
    }
    return out == null ? s : out.toString();
  }
}
