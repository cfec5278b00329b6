package dev.tokenservice.token;

import java.util.Optional;

import org.jspecify.annotations.Nullable;

/**
 * Reads the token out of an {@code Authorization: Bearer} header, whose scheme name is
 * case-insensitive.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6750#section-2.1">RFC 6750 §2.1</a>
 */
public final class BearerToken {

	private static final String SCHEME = "Bearer ";

	private BearerToken() {
	}

	/** The token, or empty if the header is missing or names another scheme. */
	public static Optional<String> from(@Nullable String authorization) {
		if (authorization == null || !authorization.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
			return Optional.empty();
		}
		return Optional.of(authorization.substring(SCHEME.length()).trim());
	}

}
