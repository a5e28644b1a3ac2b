package io.isrank.error;

/** A configuration value is missing, malformed or out of range; the message names key and range. */
public final class ConfigException extends IsrankException {
  private static final long serialVersionUID = 1L;

  public ConfigException(String message) {
    super(message);
  }

  /**
   * Fails unless {@code ok}, with a message naming the key, the value and what is allowed.
   *
   * @param ok      the condition that must hold
   * @param key     the configuration key, e.g. {@code reduce.dims}
   * @param value   the offending value as given
   * @param allowed what the key accepts, e.g. {@code "an integer from 1 to 256"}
   */
  public static void check(boolean ok, String key, Object value, String allowed) {
    if (!ok) {
      throw new ConfigException("option '" + key + "' = " + value + " is not allowed: expected " + allowed);
    }
  }
}
