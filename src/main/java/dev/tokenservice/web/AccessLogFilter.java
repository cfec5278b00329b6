package dev.tokenservice.web;

import java.io.IOException;
import java.util.regex.Pattern;

import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import org.springframework.web.filter.OncePerRequestFilter;

/**
 * One line per request on the {@code access} logger: client, method, path, status and
 * time. The query string is left out (it may carry credentials) and the token in a
 * {@code /token_status/} path is masked, so no token reaches the log. A request answered
 * asynchronously (one that hashes a password) is logged when its answer is complete.
 */
class AccessLogFilter extends OncePerRequestFilter {

	private static final String TOKEN_STATUS_PREFIX = "/token_status/";

	/**
	 * A path segment long enough to hold a token's signature (43 characters for HS256),
	 * however it is spelled or joined to its neighbours ({@code ;}, {@code ,},
	 * {@code %65yJ}); the service's own paths are all shorter.
	 */
	private static final Pattern LONG_SEGMENT = Pattern.compile("[^/]{40,}");

	private static final Logger access = LoggerFactory.getLogger("access");

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		long start = System.nanoTime();
		try {
			chain.doFilter(request, response);
		}
		finally {
			if (request.isAsyncStarted()) {
				request.getAsyncContext().addListener(new WhenComplete(() -> logAsync(request, response, start)));
			}
			else {
				log(request, response, start);
			}
		}
	}

	private static void log(HttpServletRequest request, HttpServletResponse response, long start) {
		access.info("{} \"{} {}\" {} {}ms", request.getRemoteAddr(), request.getMethod(), masked(request),
				response.getStatus(), (System.nanoTime() - start) / 1_000_000);
	}

	/**
	 * Completion may come on any thread, so the request's id is put back for the line.
	 */
	private static void logAsync(HttpServletRequest request, HttpServletResponse response, long start) {
		try (MDC.MDCCloseable requestId = MDC.putCloseable(RequestIdFilter.MDC_KEY, RequestIdFilter.idOf(request))) {
			log(request, response, start);
		}
	}

	/**
	 * The path as sent, unless it names {@code /token_status/} in any spelling the server
	 * decodes to it ({@code /%74oken_status/}, {@code //token_status/}): then the token
	 * is masked. A token anywhere else (a mistyped path) is masked by its length.
	 */
	private static String masked(HttpServletRequest request) {
		if (request.getServletPath().startsWith(TOKEN_STATUS_PREFIX)) {
			return TOKEN_STATUS_PREFIX + "[token]";
		}
		return LONG_SEGMENT.matcher(request.getRequestURI()).replaceAll("[token]");
	}

	/** An {@link AsyncListener} that acts once the asynchronous request is complete. */
	private record WhenComplete(Runnable action) implements AsyncListener {

		@Override
		public void onComplete(AsyncEvent event) {
			this.action.run();
		}

		@Override
		public void onTimeout(AsyncEvent event) {
		}

		@Override
		public void onError(AsyncEvent event) {
		}

		@Override
		public void onStartAsync(AsyncEvent event) {
		}

	}

}
