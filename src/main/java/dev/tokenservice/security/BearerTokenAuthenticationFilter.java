package dev.tokenservice.security;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

import dev.tokenservice.account.TokenHolder;
import dev.tokenservice.token.BearerToken;
import dev.tokenservice.token.TokenVerifier;
import dev.tokenservice.token.VerifiedToken;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.HandlerExceptionResolver;

/**
 * Authenticates {@code Authorization: Bearer} requests with the same verifier as
 * {@code /token_status}, so the holder's rights and state come from the database on every
 * request. The authentication is kept for the request's asynchronous dispatch (a password
 * change answers on one), which must not verify again: by then the change has ended the
 * token.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6750#section-2.1">RFC 6750 §2.1</a>
 */
class BearerTokenAuthenticationFilter extends OncePerRequestFilter {

	private final TokenVerifier verifier;

	private final SecurityContextRepository contexts;

	private final HandlerExceptionResolver exceptions;

	BearerTokenAuthenticationFilter(TokenVerifier verifier, SecurityContextRepository contexts,
			HandlerExceptionResolver exceptions) {
		this.verifier = verifier;
		this.contexts = contexts;
		this.exceptions = exceptions;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		Optional<String> token = BearerToken.from(request.getHeader(HttpHeaders.AUTHORIZATION));
		if (token.isPresent()) {
			Optional<VerifiedToken> verified;
			try {
				verified = this.verifier.verify(token.get());
			}
			catch (RuntimeException ex) {
				answerFailure(request, response, ex);
				return;
			}
			verified.ifPresentOrElse((valid) -> authenticate(valid.holder(), request, response),
					() -> JsonAuthenticationEntryPoint.rememberFailure(request,
							JsonAuthenticationEntryPoint.Failure.INVALID_TOKEN));
		}
		chain.doFilter(request, response);
	}

	/**
	 * A database that cannot answer gets the same 503 as in any endpoint: the controller
	 * advice answers, as it does for every exception that it knows.
	 */
	private void answerFailure(HttpServletRequest request, HttpServletResponse response, RuntimeException ex) {
		if (this.exceptions.resolveException(request, response, null, ex) == null) {
			throw ex;
		}
	}

	/** {@code /token_status} reads its Bearer header itself; verifying twice is waste. */
	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return request.getServletPath().startsWith("/token_status");
	}

	private void authenticate(TokenHolder holder, HttpServletRequest request, HttpServletResponse response) {
		List<SimpleGrantedAuthority> authorities = holder.isAdmin() ? List.of(Authorities.USER, Authorities.ADMIN)
				: List.of(Authorities.USER);
		SecurityContext context = SecurityContextHolder.getContext();
		context.setAuthentication(UsernamePasswordAuthenticationToken.authenticated(holder, null, authorities));
		this.contexts.saveContext(context, request, response);
	}

}
