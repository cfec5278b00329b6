package dev.tokenservice.support;

import static org.assertj.core.api.Assertions.assertThat;

/** What every protected endpoint answers to a caller it refuses (API.md, Accounts). */
public final class ProtectedEndpointAssertions {

	private ProtectedEndpointAssertions() {
	}

	/** 401 with the message and the RFC 6750 challenge. */
	public static void assertUnauthorized(Reply reply, String message) {
		assertThat(reply.status()).as(reply.toString()).isEqualTo(401);
		assertThat(reply.isJson()).isTrue();
		assertThat(reply.text("message")).isEqualTo(message);
		assertThat(reply.header("WWW-Authenticate")).hasValueSatisfying((challenge) -> {
			assertThat(challenge).startsWith("Bearer");
			assertThat(challenge).contains("error=\"invalid_token\"");
		});
	}

	/**
	 * 403 to a token without the rights, with exactly {@code {"message":"Forbidden"}} and
	 * the RFC 6750 §3.1 challenge.
	 */
	public static void assertForbidden(Reply reply) {
		assertThat(reply.status()).as(reply.toString()).isEqualTo(403);
		assertThat(reply.isJson()).isTrue();
		assertThat(reply.json().propertyNames()).containsExactly("message");
		assertThat(reply.text("message")).isEqualTo("Forbidden");
		assertThat(reply.header("WWW-Authenticate")).hasValueSatisfying((challenge) -> {
			assertThat(challenge).startsWith("Bearer realm=\"token-service\"");
			assertThat(challenge).contains("error=\"insufficient_scope\"");
		});
	}

}
