package dev.tokenservice.throttle;

/**
 * A limit was reached; the client may try again after {@link #getRetryAfterSeconds()}.
 */
public class ThrottledException extends RuntimeException {

	private final long retryAfterSeconds;

	ThrottledException(long retryAfterSeconds) {
		super("Too many requests", null, false, false);
		this.retryAfterSeconds = retryAfterSeconds;
	}

	public long getRetryAfterSeconds() {
		return this.retryAfterSeconds;
	}

}
