package dev.tokenservice.web;

/** The request body is larger than {@code http.max_body_size}. */
class PayloadTooLargeException extends RuntimeException {

	PayloadTooLargeException() {
		super("Request body too large", null, false, false);
	}

}
