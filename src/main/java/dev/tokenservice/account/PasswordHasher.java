package dev.tokenservice.account;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

import dev.tokenservice.config.PasswordProperties;
import org.jspecify.annotations.Nullable;

import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.stereotype.Component;

/**
 * The only place a plain password is used: BCrypt at the configured cost. Every
 * comparison costs one full BCrypt run, even for an unknown user, so response times do
 * not reveal which usernames exist.
 */
@Component
class PasswordHasher {

	/**
	 * Compared instead of a password BCrypt cannot take, to keep the time of the
	 * comparison.
	 */
	private static final String FILLER = "not-a-password";

	private final BCryptPasswordEncoder encoder;

	private final String dummyHash;

	PasswordHasher(PasswordProperties properties) {
		this.encoder = new BCryptPasswordEncoder(properties.bcryptCost());
		this.dummyHash = this.encoder.encode(UUID.randomUUID().toString());
	}

	String hash(String password) {
		return this.encoder.encode(password);
	}

	boolean matches(String password, @Nullable String storedHash) {
		boolean hashable = fitsBcrypt(password);
		boolean matched = this.encoder.matches(hashable ? password : FILLER,
				(storedHash != null) ? storedHash : this.dummyHash);
		return hashable && storedHash != null && matched;
	}

	private static boolean fitsBcrypt(String password) {
		return !password.isEmpty() && password.getBytes(StandardCharsets.UTF_8).length <= PasswordProperties.MAX_BYTES;
	}

}
