package dev.tokenservice.web;

import java.io.IOException;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Gives every request an id, on every log line it causes (MDC), in the
 * {@code X-Request-Id} response header and in 5xx bodies. A caller's own well-formed id
 * is kept, so a request can be followed through a gateway.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class RequestIdFilter extends OncePerRequestFilter {

	static final String MDC_KEY = "request_id";

	static final String HEADER = "X-Request-Id";

	private static final String ATTRIBUTE = RequestIdFilter.class.getName() + ".id";

	private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String id = idOf(request);
		if (id == null) {
			String requested = request.getHeader(HEADER);
			id = (requested != null && SAFE_ID.matcher(requested).matches()) ? requested : newId();
			request.setAttribute(ATTRIBUTE, id);
		}
		MDC.put(MDC_KEY, id);
		response.setHeader(HEADER, id);
		try {
			chain.doFilter(request, response);
		}
		finally {
			MDC.remove(MDC_KEY);
		}
	}

	/**
	 * A random UUID from a per-thread generator: an id needs to be unique, not
	 * unguessable, and {@link UUID#randomUUID()} serializes every request on one
	 * {@code SecureRandom}.
	 */
	private static String newId() {
		ThreadLocalRandom random = ThreadLocalRandom.current();
		return new UUID(random.nextLong(), random.nextLong()).toString();
	}

	/** The id given to this request by its first dispatch, if any. */
	static @Nullable String idOf(HttpServletRequest request) {
		return (String) request.getAttribute(ATTRIBUTE);
	}

	/** An error page or an asynchronous result is written under the request's own id. */
	@Override
	protected boolean shouldNotFilterErrorDispatch() {
		return false;
	}

	@Override
	protected boolean shouldNotFilterAsyncDispatch() {
		return false;
	}

}
