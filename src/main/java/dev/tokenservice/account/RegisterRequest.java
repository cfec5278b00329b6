package dev.tokenservice.account;

import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.jspecify.annotations.Nullable;

/** The body of {@code POST /register-user}; unknown extra fields are ignored. */
@AcceptablePassword
record RegisterRequest(
		@NotNull(message = "is required") @Pattern(regexp = USERNAME_RULE,
				message = USERNAME_MESSAGE) @Nullable String username,
		@NotNull(message = "is required") @Nullable String password,
		@NotBlank(message = "is required") @Email(message = "must be a valid email address") @Size(max = 254,
				message = "must be at most 254 characters") @Pattern(regexp = WHOLE_CHARACTERS,
						message = "must be a valid email address") @Nullable String email) {

	/**
	 * No half of a character (a JSON {@code \ud800} escape): PostgreSQL would store it as
	 * {@code ?}.
	 */
	static final String WHOLE_CHARACTERS = "^[^\\uD800-\\uDFFF]*$";

	/**
	 * Anchored, as {@code @Pattern} is anyway, so that the OpenAPI document's copy means
	 * the same: a JSON Schema pattern matches anywhere in the string.
	 */
	static final String USERNAME_RULE = "^[A-Za-z0-9][A-Za-z0-9._@-]{2,63}$";

	static final String USERNAME_MESSAGE = "must be 3-64 characters from A-Z a-z 0-9 . _ - @, starting with a letter or digit";

	@Override
	public String toString() {
		return "RegisterRequest[username=" + this.username + "]";
	}

}
