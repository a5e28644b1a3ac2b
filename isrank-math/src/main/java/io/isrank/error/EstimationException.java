package io.isrank.error;

/** The estimator cannot produce a trustworthy number (singular fit, overflow, diverged EM). */
public final class EstimationException extends IsrankException {
  private static final long serialVersionUID = 1L;

  public EstimationException(String message) {
    super(message);
  }
}
