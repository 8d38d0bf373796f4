package dev.surge.trigger;

/**
 * The fleet's lease could not be taken or kept: another instance held it for longer than the wait
 * allows, or the control table could not be written. The message names the table, the fleet and,
 * where known, the holder.
 */
public final class FleetLeaseException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** A failure with {@code message}. */
  public FleetLeaseException(String message) {
    super(message);
  }

  /** A failure with {@code message}, caused by {@code cause}. */
  public FleetLeaseException(String message, Throwable cause) {
    super(message, cause);
  }
}
