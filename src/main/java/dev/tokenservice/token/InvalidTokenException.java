package dev.tokenservice.token;

/**
 * The token is not valid, for whatever reason; the reason is never told to the client.
 */
public class InvalidTokenException extends RuntimeException {

	public InvalidTokenException() {
		super("Invalid token", null, false, false);
	}

}
