package dev.tokenservice.token;

import org.jspecify.annotations.Nullable;
import jakarta.servlet.http.HttpServletRequest;

/**
 * Reads one parameter of an OAuth 2.0 form request by the protocol's rules: present, not
 * blank, and given once; an optional one may be left out, but is still given at most
 * once.
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
		rejectRepeated(name, values);
		return values[0];
	}

	static void atMostOnce(HttpServletRequest request, String name) {
		String[] values = values(request, name);
		if (values != null) {
			rejectRepeated(name, values);
		}
	}

	private static void rejectRepeated(String name, String[] values) {
		if (values.length > 1) {
			throw OAuth2TokenException.invalidRequest("Parameter given more than once: " + name);
		}
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
