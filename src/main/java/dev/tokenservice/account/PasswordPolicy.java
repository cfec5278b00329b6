package dev.tokenservice.account;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

import dev.tokenservice.config.PasswordProperties;

import org.springframework.stereotype.Component;

/**
 * Which passwords a user may choose: long enough, short enough for BCrypt, not the
 * username. No composition rules.
 *
 * @see <a href="https://pages.nist.gov/800-63-4/sp800-63b.html#password">NIST SP 800-63B
 * §3.1.1.2</a>
 */
@Component
class PasswordPolicy {

	private final int minLength;

	PasswordPolicy(PasswordProperties properties) {
		this.minLength = properties.minLength();
	}

	/** Why the password is not acceptable, or empty if it is. */
	Optional<String> problemWith(String password, String username) {
		if (password.codePointCount(0, password.length()) < this.minLength) {
			return Optional.of("must be at least " + this.minLength + " characters");
		}
		if (password.getBytes(StandardCharsets.UTF_8).length > PasswordProperties.MAX_BYTES) {
			return Optional.of("must be at most " + PasswordProperties.MAX_BYTES + " bytes in UTF-8");
		}
		if (password.toLowerCase(Locale.ROOT).equals(username.toLowerCase(Locale.ROOT))) {
			return Optional.of("must not be the same as the username");
		}
		return Optional.empty();
	}

}
