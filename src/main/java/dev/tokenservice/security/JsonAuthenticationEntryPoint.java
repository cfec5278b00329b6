package dev.tokenservice.security;

import java.io.IOException;

import dev.tokenservice.web.BearerChallenge;
import dev.tokenservice.web.ErrorResponse;
import dev.tokenservice.web.ErrorResponseWriter;
import dev.tokenservice.web.OAuth2TokenError;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;

/**
 * The 401 of a protected endpoint: a JSON message saying whether the credentials were
 * missing or wrong, and the challenge API.md gives ({@code Bearer error="invalid_token"},
 * plus {@code Basic} where introspection clients may use it). An introspection client
 * whose credentials are wrong, in the header or the form body, is challenged with
 * {@code Basic} alone, the scheme RFC 6749 §2.3.1 says every server supports.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6750#section-3">RFC 6750 §3</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6749#section-5.2">RFC 6749 §5.2</a>
 */
class JsonAuthenticationEntryPoint implements AuthenticationEntryPoint {

	private static final String FAILURE = JsonAuthenticationEntryPoint.class.getName() + ".failure";

	private static final String BASIC_CHALLENGE = "Basic realm=\"token-service\", charset=\"UTF-8\"";

	private final ErrorResponseWriter errors;

	JsonAuthenticationEntryPoint(ErrorResponseWriter errors) {
		this.errors = errors;
	}

	/** What was wrong with the credential a request presented. */
	enum Failure {

		/** A bearer token that is not valid. */
		INVALID_TOKEN,

		/** Client credentials (HTTP Basic or form body) of no introspection client. */
		INVALID_CLIENT

	}

	/** Called by the authentication filters when a presented credential is wrong. */
	static void rememberFailure(HttpServletRequest request, Failure failure) {
		request.setAttribute(FAILURE, failure);
	}

	@Override
	public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException ex)
			throws IOException {
		Object failure = request.getAttribute(FAILURE);
		if (failure == Failure.INVALID_CLIENT) {
			invalidClient(response);
			return;
		}
		String message = (failure == Failure.INVALID_TOKEN) ? "Invalid token" : "Authentication required";
		response.addHeader(HttpHeaders.WWW_AUTHENTICATE, BearerChallenge.invalidToken(message));
		if (IntrospectionClientAuthenticationFilter.PATH.equals(request.getServletPath())) {
			response.addHeader(HttpHeaders.WWW_AUTHENTICATE, BASIC_CHALLENGE);
		}
		this.errors.write(response, HttpStatus.UNAUTHORIZED, ErrorResponse.of(message));
	}

	/**
	 * RFC 6749 §5.2: a client that failed to authenticate by the Authorization header
	 * gets a challenge "matching the authentication scheme used by the client".
	 */
	private void invalidClient(HttpServletResponse response) throws IOException {
		response.addHeader(HttpHeaders.WWW_AUTHENTICATE, BASIC_CHALLENGE);
		this.errors.write(response, HttpStatus.UNAUTHORIZED,
				OAuth2TokenError.of("invalid_client", "Invalid client credentials"));
	}

}
