package dev.tokenservice.web;

/**
 * The RFC 6749 error body of the OAuth 2.0 endpoints ({@code /token}'s password grant,
 * {@code /introspect}, {@code /revoke}), with the {@code message} every error body of
 * this service carries.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6749#section-5.2">RFC 6749 §5.2</a>
 */
public record OAuth2TokenError(String error, String errorDescription, String message) {

	/**
	 * The service's errors say the same thing in {@code message} as in the description.
	 */
	public static OAuth2TokenError of(String error, String description) {
		return new OAuth2TokenError(error, description, description);
	}

}
