package dev.tokenservice.web;

/**
 * The {@code WWW-Authenticate} value of a 401: RFC 9110 §11.6.1 asks every 401 for one,
 * and this service's one scheme is Bearer.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6750#section-3">RFC 6750 §3</a>
 */
public final class BearerChallenge {

	/** For a refusal that involved no token: the credentials were wrong. */
	public static final String NO_TOKEN = "Bearer realm=\"token-service\"";

	private BearerChallenge() {
	}

	/** For a request whose token was missing or not valid. */
	public static String invalidToken(String description) {
		return NO_TOKEN + ", error=\"invalid_token\", error_description=\"" + description + "\"";
	}

}
