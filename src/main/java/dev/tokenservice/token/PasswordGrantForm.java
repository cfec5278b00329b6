package dev.tokenservice.token;

import java.util.List;

import dev.tokenservice.account.Credentials;
import org.jspecify.annotations.Nullable;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.web.util.UriComponentsBuilder;

/**
 * Reads an OAuth 2.0 resource owner password credentials request from a form body,
 * applying the protocol's rules before any account is looked at.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6749#section-4.3.2">RFC 6749 §4.3.2</a>
 */
final class PasswordGrantForm {

	private static final List<String> PARAMETERS = List.of("grant_type", "username", "password");

	private PasswordGrantForm() {
	}

	static Credentials read(HttpServletRequest request) {
		rejectParametersInQuery(request);
		String grantType = single(request, "grant_type");
		if (!"password".equals(grantType)) {
			throw new OAuth2TokenException("unsupported_grant_type", "Only the password grant is supported");
		}
		return new Credentials(single(request, "username"), single(request, "password"));
	}

	// RFC 6749 §3.2 and §4.3.2: credentials travel in the body, where they stay out of
	// access logs.
	private static void rejectParametersInQuery(HttpServletRequest request) {
		String query = request.getQueryString();
		if (query != null) {
			var names = UriComponentsBuilder.newInstance().query(query).build().getQueryParams().keySet();
			if (PARAMETERS.stream().anyMatch(names::contains)) {
				throw OAuth2TokenException.invalidRequest("Parameters must be sent in the request body");
			}
		}
	}

	private static String @Nullable [] parameterValues(HttpServletRequest request, String name) {
		try {
			return request.getParameterValues(name);
		}
		catch (IllegalStateException ex) {
			// The container could not decode the body (bad percent-encoding, too large).
			throw OAuth2TokenException.invalidRequest("Malformed form body");
		}
	}

	// RFC 6749 §3.2: "Request and response parameters MUST NOT be included more than
	// once."
	private static String single(HttpServletRequest request, String name) {
		String[] values = parameterValues(request, name);
		if (values == null || values.length == 0 || values[0].isBlank()) {
			throw OAuth2TokenException.invalidRequest("Missing parameter: " + name);
		}
		if (values.length > 1) {
			throw OAuth2TokenException.invalidRequest("Parameter given more than once: " + name);
		}
		return values[0];
	}

}
