package dev.tokenservice.token;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.web.util.UriComponentsBuilder;

/**
 * Reads one parameter of an OAuth 2.0 form request by the protocol's rules: in the body,
 * not the URL, present, not blank, and given once, where a value left empty counts as not
 * given; an optional one may be left out, but is still given at most once.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6749#section-3.2">RFC 6749 §3.2</a>
 */
public final class OAuth2Parameters {

	private OAuth2Parameters() {
	}

	// RFC 6749 §3.2: "Request and response parameters MUST NOT be included more than
	// once."
	static String single(HttpServletRequest request, String name) {
		rejectInQuery(request, List.of(name));
		List<String> values = values(request, name);
		if (values.isEmpty() || values.get(0).isBlank()) {
			throw OAuth2TokenException.invalidRequest("Missing parameter: " + name);
		}
		rejectRepeated(name, values);
		return values.get(0);
	}

	/**
	 * RFC 7009 §2.1 and RFC 7662 §2.1: the token, and the optional
	 * {@code token_type_hint}, ignored (every token here is an access token) but still
	 * given at most once.
	 */
	static String token(HttpServletRequest request) {
		atMostOnce(request, "token_type_hint");
		return single(request, "token");
	}

	// RFC 6749 §3.2 and §4.3.2, RFC 7009 §2.1, RFC 7662 §2.1: credentials and tokens
	// travel in the body, where they stay out of the access logs of every proxy on the
	// way.
	static void rejectInQuery(HttpServletRequest request, List<String> names) {
		Set<String> inQuery = namesInQuery(request);
		if (names.stream().anyMatch(inQuery::contains)) {
			throw OAuth2TokenException.invalidRequest("Parameters must be sent in the request body");
		}
	}

	/**
	 * The names of the URL's query parameters, decoded as the container decodes them
	 * ({@code passwor%64} is {@code password}).
	 */
	public static Set<String> namesInQuery(HttpServletRequest request) {
		String query = request.getQueryString();
		if (query == null) {
			return Set.of();
		}
		return UriComponentsBuilder.newInstance()
			.query(query)
			.build()
			.getQueryParams()
			.keySet()
			.stream()
			.map(OAuth2Parameters::formDecoded)
			.collect(Collectors.toSet());
	}

	private static String formDecoded(String encoded) {
		try {
			return URLDecoder.decode(encoded, StandardCharsets.UTF_8);
		}
		catch (IllegalArgumentException ex) {
			// Malformed percent-encoding: the container cannot read it as that name
			// either.
			return encoded;
		}
	}

	static void atMostOnce(HttpServletRequest request, String name) {
		rejectRepeated(name, values(request, name));
	}

	private static void rejectRepeated(String name, List<String> values) {
		if (values.size() > 1) {
			throw OAuth2TokenException.invalidRequest("Parameter given more than once: " + name);
		}
	}

	private static List<String> values(HttpServletRequest request, String name) {
		try {
			return given(request, name);
		}
		catch (IllegalStateException ex) {
			throw OAuth2TokenException.invalidRequest("Malformed form body");
		}
	}

	/**
	 * The parameter's values less those left empty: RFC 6749 §3.1, "Parameters sent
	 * without a value MUST be treated as if they were omitted from the request", so
	 * {@code username=alice&username=} gives one username.
	 * @throws IllegalStateException if the container cannot decode the form body (bad
	 * percent-encoding, too large)
	 */
	public static List<String> given(HttpServletRequest request, String name) {
		String[] values = request.getParameterValues(name);
		return (values != null) ? Arrays.stream(values).filter((value) -> !value.isEmpty()).toList() : List.of();
	}

}
