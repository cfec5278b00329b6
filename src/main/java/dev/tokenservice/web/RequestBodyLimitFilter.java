package dev.tokenservice.web;

import java.io.IOException;

import dev.tokenservice.config.HttpProperties;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.tomcat.util.http.InvalidParameterException;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses bodies over {@code http.max_body_size} with 413: at once when the declared
 * length is too large, and while reading when a chunked body grows past it. Tomcat
 * applies the same limit to form bodies, which it parses itself. Runs after
 * {@link RequestHeaderFilter}, so the type it reads is one that parses.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 3)
class RequestBodyLimitFilter extends OncePerRequestFilter {

	private final long maxBytes;

	private final ErrorResponseWriter errors;

	RequestBodyLimitFilter(HttpProperties properties, ErrorResponseWriter errors) {
		this.maxBytes = properties.maxBodySize().toBytes();
		this.errors = errors;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		long declared = request.getContentLengthLong();
		if (declared > this.maxBytes || (declared < 0 && isForm(request) && formTooLarge(request))) {
			this.errors.write(response, HttpStatus.CONTENT_TOO_LARGE,
					ErrorResponse.of(PayloadTooLargeException.MESSAGE));
			return;
		}
		chain.doFilter(new LimitedRequest(request, this.maxBytes), response);
	}

	private static boolean isForm(HttpServletRequest request) {
		String type = request.getContentType();
		return type != null && MediaType.APPLICATION_FORM_URLENCODED.includes(MediaType.parseMediaType(type));
	}

	/**
	 * Tomcat parses a chunked form body itself, up to the same limit (set in
	 * application.yml), and reports an oversized one as a parameter failure with code
	 * 413.
	 */
	private static boolean formTooLarge(HttpServletRequest request) {
		try {
			request.getParameterMap();
			return false;
		}
		catch (InvalidParameterException ex) {
			return ex.getErrorCode() == HttpStatus.CONTENT_TOO_LARGE.value();
		}
	}

	private static final class LimitedRequest extends HttpServletRequestWrapper {

		private final long maxBytes;

		LimitedRequest(HttpServletRequest request, long maxBytes) {
			super(request);
			this.maxBytes = maxBytes;
		}

		@Override
		public ServletInputStream getInputStream() throws IOException {
			return new LimitedInputStream(super.getInputStream(), this.maxBytes);
		}

	}

	private static final class LimitedInputStream extends ServletInputStream {

		private final ServletInputStream delegate;

		private long remaining;

		LimitedInputStream(ServletInputStream delegate, long maxBytes) {
			this.delegate = delegate;
			this.remaining = maxBytes;
		}

		@Override
		public int read() throws IOException {
			int b = this.delegate.read();
			if (b != -1) {
				count(1);
			}
			return b;
		}

		@Override
		public int read(byte[] buffer, int offset, int length) throws IOException {
			int read = this.delegate.read(buffer, offset, length);
			if (read > 0) {
				count(read);
			}
			return read;
		}

		private void count(int bytes) {
			this.remaining -= bytes;
			if (this.remaining < 0) {
				throw new PayloadTooLargeException();
			}
		}

		@Override
		public boolean isFinished() {
			return this.delegate.isFinished();
		}

		@Override
		public boolean isReady() {
			return this.delegate.isReady();
		}

		@Override
		public void setReadListener(ReadListener listener) {
			this.delegate.setReadListener(listener);
		}

	}

}
