package dev.tokenservice.token;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;

/**
 * The body of {@code POST /introspect}: the token's claims when it is active, and only
 * {@code "active": false} otherwise.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7662#section-2.2">RFC 7662 §2.2</a>
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record IntrospectionResponse(boolean active, @Nullable String sub, @Nullable String username, @Nullable Long exp,
		@Nullable Long iat, @Nullable String jti, @Nullable String iss, @Nullable String tokenType) {

	static final IntrospectionResponse INACTIVE = new IntrospectionResponse(false, null, null, null, null, null, null,
			null);

	static IntrospectionResponse of(VerifiedToken token, String issuer) {
		return new IntrospectionResponse(true, Long.toString(token.holder().userId()), token.holder().username(),
				token.expiresAt().getEpochSecond(), token.issuedAt().getEpochSecond(), token.jti(), issuer, "Bearer");
	}

}
