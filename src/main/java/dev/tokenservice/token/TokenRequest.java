package dev.tokenservice.token;

import dev.tokenservice.account.Credentials;
import jakarta.validation.constraints.NotBlank;
import org.jspecify.annotations.Nullable;

/**
 * The JSON-style body of {@code POST /token}; extra fields such as {@code email} are
 * ignored.
 */
record TokenRequest(@NotBlank(message = "is required") @Nullable String username,
		@NotBlank(message = "is required") @Nullable String password) {

	Credentials credentials() {
		return new Credentials(String.valueOf(this.username), String.valueOf(this.password));
	}

	@Override
	public String toString() {
		return "TokenRequest[username=" + this.username + "]";
	}

}
