package dev.tokenservice.web;

import java.io.IOException;
import java.util.Enumeration;
import java.util.List;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses headers that deeper layers would misread, before any endpoint is chosen:
 * <ul>
 * <li>with 415, a {@code Content-Type} that names no concrete type (unparsable,
 * {@code application/*}) or a multipart one, which no endpoint takes and on which deeper
 * layers fail with a 5xx;</li>
 * <li>with 415, a {@code Content-Encoding} other than {@code identity}: no endpoint
 * decodes a compressed body, and reading it as it is would judge bytes the client did not
 * mean (RFC 9110 §8.4, §15.5.16);</li>
 * <li>with 400, more than one {@code Authorization} or {@code Content-Type} header: each
 * field holds one value (RFC 9110 §11.6.2, §8.3), and a proxy in front that read the last
 * of several would authorize someone else, or check a body other than the one this
 * service reads (Tomcat reads the first).</li>
 * </ul>
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 2)
class RequestHeaderFilter extends OncePerRequestFilter {

	private static final String IDENTITY = "identity";

	private static final List<String> SINGLE_VALUED = List.of(HttpHeaders.AUTHORIZATION, HttpHeaders.CONTENT_TYPE);

	private final ErrorResponseWriter errors;

	RequestHeaderFilter(ErrorResponseWriter errors) {
		this.errors = errors;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		// Before the media type check, which would judge only the first Content-Type.
		for (String header : SINGLE_VALUED) {
			if (hasSeveral(request, header)) {
				this.errors.write(response, HttpStatus.BAD_REQUEST,
						ErrorResponse.of("Only one " + header + " header is allowed"));
				return;
			}
		}
		String contentType = request.getContentType();
		if (contentType != null && !isAcceptable(contentType)) {
			this.errors.write(response, HttpStatus.UNSUPPORTED_MEDIA_TYPE,
					ErrorResponse.of(HttpStatus.UNSUPPORTED_MEDIA_TYPE.getReasonPhrase()));
			return;
		}
		if (isContentEncoded(request)) {
			response.setHeader(HttpHeaders.ACCEPT_ENCODING, IDENTITY);
			this.errors.write(response, HttpStatus.UNSUPPORTED_MEDIA_TYPE,
					ErrorResponse.of("Unsupported Content-Encoding: send the body uncompressed"));
			return;
		}
		chain.doFilter(request, response);
	}

	private static boolean isContentEncoded(HttpServletRequest request) {
		// Every request passes here, token checks included: no enumeration when absent.
		if (request.getHeader(HttpHeaders.CONTENT_ENCODING) == null) {
			return false;
		}
		Enumeration<String> values = request.getHeaders(HttpHeaders.CONTENT_ENCODING);
		while (values.hasMoreElements()) {
			for (String coding : values.nextElement().split(",")) {
				if (!coding.isBlank() && !IDENTITY.equalsIgnoreCase(coding.strip())) {
					return true;
				}
			}
		}
		return false;
	}

	private static boolean hasSeveral(HttpServletRequest request, String header) {
		Enumeration<String> values = request.getHeaders(header);
		if (!values.hasMoreElements()) {
			return false;
		}
		values.nextElement();
		return values.hasMoreElements();
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
