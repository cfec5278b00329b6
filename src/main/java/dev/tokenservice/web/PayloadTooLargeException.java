package dev.tokenservice.web;

/** The request body is larger than {@code http.max_body_size}. */
class PayloadTooLargeException extends RuntimeException {

	static final String MESSAGE = "Request body too large";

	PayloadTooLargeException() {
		super(MESSAGE, null, false, false);
	}

}
