package dev.tokenservice.account;

/**
 * The hashing queue was full, or a request waited in it for longer than
 * {@code password.hashing_timeout}: it is refused with 503 rather than queued for ever.
 */
public class HashingBusyException extends RuntimeException {

	private final boolean afterWaiting;

	private HashingBusyException(boolean afterWaiting) {
		super("Service temporarily unavailable", null, false, false);
		this.afterWaiting = afterWaiting;
	}

	static HashingBusyException queueFull() {
		return new HashingBusyException(false);
	}

	static HashingBusyException waitedTooLong() {
		return new HashingBusyException(true);
	}

	/** Whether the request waited in the queue first, rather than finding it full. */
	public boolean isAfterWaiting() {
		return this.afterWaiting;
	}

}
