package dev.tokenservice.web;

import java.io.IOException;

import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;

/**
 * Writes an {@link ErrorResponse} where no controller advice can: filters and the
 * security chain.
 */
@Component
public class ErrorResponseWriter {

	static final String NOSNIFF_HEADER = "X-Content-Type-Options";

	private final JsonMapper jsonMapper;

	ErrorResponseWriter(JsonMapper jsonMapper) {
		this.jsonMapper = jsonMapper;
	}

	public void write(HttpServletResponse response, HttpStatus status, ErrorResponse body) throws IOException {
		writeJson(response, status, body);
	}

	/** An RFC 6749 §5.2 error that a filter answers, such as {@code invalid_client}. */
	public void write(HttpServletResponse response, HttpStatus status, OAuth2TokenError body) throws IOException {
		writeJson(response, status, body);
	}

	private void writeJson(HttpServletResponse response, HttpStatus status, Object body) throws IOException {
		response.setStatus(status.value());
		// Written before or outside Spring Security's header writer, so set here too.
		response.setHeader(NOSNIFF_HEADER, "nosniff");
		response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
		response.setContentType(MediaType.APPLICATION_JSON_VALUE);
		response.setCharacterEncoding("UTF-8");
		response.getWriter().write(this.jsonMapper.writeValueAsString(body));
		response.flushBuffer();
	}

}
