package dev.tokenservice.security;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import dev.tokenservice.config.IntrospectionProperties;
import dev.tokenservice.token.OAuth2Parameters;
import org.jspecify.annotations.Nullable;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates the introspection clients of config.yml on {@code POST /introspect}, by
 * either method of RFC 6749 §2.3.1: HTTP Basic, with the id and secret form-encoded (as
 * OAuth libraries send them) or raw (as {@code curl -u} sends them), or {@code client_id}
 * and {@code client_secret} in the form body (openid-client's default). A request using
 * both methods, or naming a client or secret in the URL, authenticates no one. Secrets
 * are compared as SHA-256 digests in constant time, and an unknown client id costs the
 * same comparisons as a wrong secret.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6749#section-2.3.1">RFC 6749 §2.3.1</a>
 */
class IntrospectionClientAuthenticationFilter extends OncePerRequestFilter {

	static final String PATH = "/introspect";

	private static final String PREFIX = "basic ";

	private static final String ID_PARAMETER = "client_id";

	private static final String SECRET_PARAMETER = "client_secret";

	private static final List<String> CREDENTIAL_PARAMETERS = List.of(ID_PARAMETER, SECRET_PARAMETER);

	private final Map<String, byte[]> secretDigests;

	private final byte[] unknownClientDigest = sha256("no client has this secret");

	IntrospectionClientAuthenticationFilter(IntrospectionProperties properties) {
		this.secretDigests = properties.clients()
			.stream()
			.collect(Collectors.toUnmodifiableMap(IntrospectionProperties.Client::id,
					(client) -> sha256(client.secret())));
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
		String basicCredentials = (authorization != null
				&& authorization.regionMatches(true, 0, PREFIX, 0, PREFIX.length()))
						? authorization.substring(PREFIX.length()).trim() : null;
		boolean asParameter = !given(request, SECRET_PARAMETER).isEmpty();
		if (response.isCommitted()) {
			// The client stopped sending the body it announced, and the container closed
			// the connection: no one is left to answer, and refusing would log an error.
			return;
		}
		// RFC 6749 §2.3.1: they "MUST NOT be included in the request URI".
		boolean inUrl = OAuth2Parameters.namesInQuery(request).stream().anyMatch(CREDENTIAL_PARAMETERS::contains);
		if (basicCredentials != null || asParameter || inUrl) {
			String clientId = inUrl ? null : clientOf(request, basicCredentials, asParameter);
			if (clientId != null) {
				SecurityContextHolder.getContext()
					.setAuthentication(UsernamePasswordAuthenticationToken.authenticated(clientId, null,
							List.of(Authorities.INTROSPECTION_CLIENT)));
			}
			else {
				JsonAuthenticationEntryPoint.rememberFailure(request,
						JsonAuthenticationEntryPoint.Failure.INVALID_CLIENT);
			}
		}
		chain.doFilter(request, response);
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return !PATH.equals(request.getServletPath());
	}

	/** The client the credentials name, if they are right and sent one way only. */
	private @Nullable String clientOf(HttpServletRequest request, @Nullable String basicCredentials,
			boolean asParameter) {
		if (basicCredentials == null) {
			return bodyClient(request);
		}
		return asParameter ? null : basicClient(basicCredentials);
	}

	/** The id and secret of the form body, each given once. */
	private @Nullable String bodyClient(HttpServletRequest request) {
		List<String> ids = given(request, ID_PARAMETER);
		List<String> secrets = given(request, SECRET_PARAMETER);
		if (ids.size() != 1 || secrets.size() != 1) {
			return null;
		}
		return matchingClient(ids.get(0), secrets.get(0));
	}

	/**
	 * {@link OAuth2Parameters#given}, or none if the container cannot decode the body.
	 */
	private static List<String> given(HttpServletRequest request, String name) {
		try {
			return OAuth2Parameters.given(request, name);
		}
		catch (IllegalStateException ex) {
			return List.of();
		}
	}

	private @Nullable String basicClient(String basicCredentials) {
		String[] idAndSecret = base64Decode(basicCredentials).split(":", 2);
		if (idAndSecret.length != 2) {
			return null;
		}
		// Both forms are always compared, so the time taken does not tell which matched.
		String raw = matchingClient(idAndSecret[0], idAndSecret[1]);
		String formDecoded = matchingClient(formDecode(idAndSecret[0]), formDecode(idAndSecret[1]));
		return (raw != null) ? raw : formDecoded;
	}

	private @Nullable String matchingClient(@Nullable String id, @Nullable String secret) {
		if (id == null || secret == null) {
			return null;
		}
		byte[] expected = this.secretDigests.getOrDefault(id, this.unknownClientDigest);
		boolean matched = MessageDigest.isEqual(expected, sha256(secret));
		return (matched && this.secretDigests.containsKey(id)) ? id : null;
	}

	/** A malformed %-escape decodes to nothing, so that form matches no client. */
	private static @Nullable String formDecode(String value) {
		try {
			return URLDecoder.decode(value, StandardCharsets.UTF_8);
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
	}

	private static String base64Decode(String encoded) {
		try {
			return new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
		}
		catch (IllegalArgumentException ex) {
			return "";
		}
	}

	private static byte[] sha256(String value) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("Every JDK has SHA-256", ex);
		}
	}

}
