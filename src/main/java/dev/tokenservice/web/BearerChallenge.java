package dev.tokenservice.web;

/**
 * The {@code WWW-Authenticate} value of a 401: RFC 9110 §11.6.1 asks every 401 for one,
 * and this service's one scheme is Bearer; and of a 403 to a token without the rights,
 * which RFC 6750 §3 asks for too.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6750#section-3">RFC 6750 §3</a>
 */
public final class BearerChallenge {

	/** For a refusal that involved no token: the credentials were wrong. */
	public static final String NO_TOKEN = "Bearer realm=\"token-service\"";

	/** For a valid token whose user lacks the rights (RFC 6750 §3.1). */
	public static final String INSUFFICIENT_RIGHTS = NO_TOKEN
			+ ", error=\"insufficient_scope\", error_description=\"The token's user lacks the rights for this request\"";

	private BearerChallenge() {
	}

	/** For a request whose token was missing or not valid. */
	public static String invalidToken(String description) {
		return NO_TOKEN + ", error=\"invalid_token\", error_description=\"" + description + "\"";
	}

}
