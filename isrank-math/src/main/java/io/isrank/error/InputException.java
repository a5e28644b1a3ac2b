package io.isrank.error;

/** The input data breaks the input contract: missing columns, invalid rows, too few rows. */
public final class InputException extends IsrankException {
  private static final long serialVersionUID = 1L;

  public InputException(String message) {
    super(message);
  }

  public InputException(String message, Throwable cause) {
    super(message, cause);
  }
}
