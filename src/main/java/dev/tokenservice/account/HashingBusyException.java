package dev.tokenservice.account;

/**
 * Every hashing slot stayed busy for longer than {@code password.hashing_timeout}: the
 * request is refused with 503 rather than queued for ever.
 */
public class HashingBusyException extends RuntimeException {

	HashingBusyException() {
		super("Service temporarily unavailable", null, false, false);
	}

}
