package dev.tokenservice.web;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.web.filter.OncePerRequestFilter;

/**
 * One line per request on the {@code access} logger: client, method, path, status and
 * time. The query string is left out (it may carry credentials) and the token in a
 * {@code /token_status/} path is masked, so no token reaches the log.
 */
class AccessLogFilter extends OncePerRequestFilter {

	static final String TOKEN_STATUS_PREFIX = "/token_status/";

	private static final Logger access = LoggerFactory.getLogger("access");

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		long start = System.nanoTime();
		try {
			chain.doFilter(request, response);
		}
		finally {
			access.info("{} \"{} {}\" {} {}ms", request.getRemoteAddr(), request.getMethod(),
					masked(request.getRequestURI()), response.getStatus(), (System.nanoTime() - start) / 1_000_000);
		}
	}

	static String masked(String path) {
		return path.startsWith(TOKEN_STATUS_PREFIX) ? TOKEN_STATUS_PREFIX + "[token]" : path;
	}

}
