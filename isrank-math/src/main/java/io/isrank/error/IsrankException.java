package io.isrank.error;

/**
 * Base of isrank's unchecked exceptions. Every message is meant for the person running the job:
 * it names what is wrong (model, column, key, count, example ids) and the way out.
 */
public class IsrankException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public IsrankException(String message) {
    super(message);
  }

  public IsrankException(String message, Throwable cause) {
    super(message, cause);
  }
}
