package dev.tokenservice.token;

/**
 * An OAuth 2.0 request ({@code /token}'s password grant, {@code /introspect},
 * {@code /revoke}) refused with its RFC 6749 error code and a fixed description that may
 * name a parameter but never its value.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6749#section-5.2">RFC 6749 §5.2</a>
 */
public class OAuth2TokenException extends RuntimeException {

	private final String error;

	OAuth2TokenException(String error, String description) {
		super(description, null, false, false);
		this.error = error;
	}

	static OAuth2TokenException invalidRequest(String description) {
		return new OAuth2TokenException("invalid_request", description);
	}

	public String getError() {
		return this.error;
	}

}
