package io.isrank.runtime;

import io.isrank.error.IsrankException;

/** How a run (isrank's or the embed tools') turns a failure into what the user reads. */
public final class UserErrors {
  private UserErrors() {}

  /**
   * What a user error ends with: secrets in it redacted, and control characters (from names in
   * the data) escaped so a name cannot move the cursor or fake a line; the message's own line
   * breaks between problems stay.
   */
  public static String errorLine(String message) {
    return "isrank: error: " + SafeText.printable(Redaction.text(message), true);
  }

  /** The user error (bad option, input or output) behind a failure, or null when it is none. */
  public static IsrankException userCause(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof IsrankException i) {
        return i;
      }
    }
    return null;
  }
}
