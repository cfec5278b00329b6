package dev.tokenservice.web;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;

/**
 * Every error body: a human-readable {@code message}, plus the bad fields of an invalid
 * request, the existing user of a taken username, or the request id of a server-side
 * failure.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ErrorResponse(String message, @Nullable Map<String, String> errors, @Nullable Long userId,
		@Nullable String requestId) {

	public static ErrorResponse of(String message) {
		return new ErrorResponse(message, null, null, null);
	}

	static ErrorResponse invalid(Map<String, String> errors) {
		return new ErrorResponse("Invalid request", errors, null, null);
	}

	/** For 5xx: the id under which the failure was logged, so an operator can find it. */
	static ErrorResponse withRequestId(String message) {
		return new ErrorResponse(message, null, null, MDC.get(RequestIdFilter.MDC_KEY));
	}

}
