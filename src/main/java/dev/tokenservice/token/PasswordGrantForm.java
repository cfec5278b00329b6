package dev.tokenservice.token;

import java.util.List;

import dev.tokenservice.account.Credentials;
import jakarta.servlet.http.HttpServletRequest;

/**
 * Reads an OAuth 2.0 resource owner password credentials request from a form body,
 * applying the protocol's rules before any account is looked at.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6749#section-4.3.2">RFC 6749 §4.3.2</a>
 */
final class PasswordGrantForm {

	private static final List<String> PARAMETERS = List.of("grant_type", "username", "password");

	/** Accepted and ignored until scopes and clients exist; still at most once. */
	private static final List<String> OPTIONAL_PARAMETERS = List.of("scope", "client_id");

	private PasswordGrantForm() {
	}

	static Credentials read(HttpServletRequest request) {
		OAuth2Parameters.rejectInQuery(request, PARAMETERS);
		String grantType = OAuth2Parameters.single(request, "grant_type");
		if (!"password".equals(grantType)) {
			throw new OAuth2TokenException("unsupported_grant_type", "Only the password grant is supported");
		}
		OPTIONAL_PARAMETERS.forEach((name) -> OAuth2Parameters.atMostOnce(request, name));
		return new Credentials(OAuth2Parameters.single(request, "username"),
				OAuth2Parameters.single(request, "password"));
	}

}
