package dev.tokenservice.web;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.ContentCachingResponseWrapper;

/**
 * Gives the actuator's bare refusals the JSON body every other response has: an unknown
 * health group or metric is a 404 with no body at all.
 */
@Component
class ActuatorErrorBodyFilter extends OncePerRequestFilter {

	private final ErrorResponseWriter errors;

	ActuatorErrorBodyFilter(ErrorResponseWriter errors) {
		this.errors = errors;
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return !request.getServletPath().startsWith("/actuator");
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		ContentCachingResponseWrapper answer = new ContentCachingResponseWrapper(response);
		chain.doFilter(request, answer);
		HttpStatus status = HttpStatus.resolve(answer.getStatus());
		if (status != null && status.isError() && answer.getContentSize() == 0 && !response.isCommitted()) {
			this.errors.write(response, status, ErrorResponse.of(status.getReasonPhrase()));
		}
		else {
			answer.copyBodyToResponse();
		}
	}

}
