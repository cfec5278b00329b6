package dev.tokenservice.web;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses with 415 a {@code Content-Type} that names no concrete type (unparsable,
 * {@code application/*}) or a multipart one, which no endpoint takes: deeper layers would
 * otherwise fail on them with a 5xx before any endpoint is chosen.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 2)
class ContentTypeFilter extends OncePerRequestFilter {

	private final ErrorResponseWriter errors;

	ContentTypeFilter(ErrorResponseWriter errors) {
		this.errors = errors;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String contentType = request.getContentType();
		if (contentType != null && !isAcceptable(contentType)) {
			this.errors.write(response, HttpStatus.UNSUPPORTED_MEDIA_TYPE,
					ErrorResponse.of(HttpStatus.UNSUPPORTED_MEDIA_TYPE.getReasonPhrase()));
			return;
		}
		chain.doFilter(request, response);
	}

	private static boolean isAcceptable(String contentType) {
		try {
			MediaType type = MediaType.parseMediaType(contentType);
			return !type.isWildcardType() && !type.isWildcardSubtype() && !"multipart".equals(type.getType());
		}
		catch (InvalidMediaTypeException ex) {
			return false;
		}
	}

}
