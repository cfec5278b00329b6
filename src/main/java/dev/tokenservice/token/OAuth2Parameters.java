package dev.tokenservice.token;

import org.jspecify.annotations.Nullable;
import jakarta.servlet.http.HttpServletRequest;

/**
 * Reads one parameter of an OAuth 2.0 form request by the protocol's rules: present, not
 * blank, and given once.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6749#section-3.2">RFC 6749 §3.2</a>
 */
final class OAuth2Parameters {

	private OAuth2Parameters() {
	}

	// RFC 6749 §3.2: "Request and response parameters MUST NOT be included more than
	// once."
	static String single(HttpServletRequest request, String name) {
		String[] values = values(request, name);
		if (values == null || values.length == 0 || values[0].isBlank()) {
			throw OAuth2TokenException.invalidRequest("Missing parameter: " + name);
		}
		if (values.length > 1) {
			throw OAuth2TokenException.invalidRequest("Parameter given more than once: " + name);
		}
		return values[0];
	}

	private static String @Nullable [] values(HttpServletRequest request, String name) {
		try {
			return request.getParameterValues(name);
		}
		catch (IllegalStateException ex) {
			// The container could not decode the body (bad percent-encoding, too large).
			throw OAuth2TokenException.invalidRequest("Malformed form body");
		}
	}

}
