package dev.tokenservice.config;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How passwords are checked and hashed ({@code password.*} in config.yml).
 *
 * @param bcryptCost the BCrypt cost; raising it upgrades each user's hash at their next
 * login
 * @param minLength the fewest characters a new password may have
 * @param rejectCommon whether common and easily guessed passwords are refused
 * @param hashingTimeout how long a request may wait for a hashing thread before it gets
 * 503
 * @param hashingQueue how many requests may wait for a hashing thread at once; more get
 * 503 at once
 * @param algorithm how new hashes are made; stored hashes of the other kind still verify
 * and move to this one at the user's next successful login
 * @param argon2 the Argon2id cost, when that is the algorithm
 * @see <a href="https://pages.nist.gov/800-63-4/sp800-63b.html#password">NIST SP 800-63B
 * §3.1.1</a>
 */
@ConfigurationProperties("password")
public record PasswordProperties(int bcryptCost, int minLength, @DefaultValue("true") boolean rejectCommon,
		@DefaultValue("10s") Duration hashingTimeout, @DefaultValue("128") int hashingQueue,
		@DefaultValue("bcrypt") Algorithm algorithm, @DefaultValue Argon2 argon2) {

	/**
	 * BCrypt hashes at most 72 bytes; longer passwords are refused rather than silently
	 * truncated.
	 */
	public static final int MAX_BYTES = 72;

	public PasswordProperties {
		if (bcryptCost < 4 || bcryptCost > 31) {
			throw new InvalidConfigurationException("password.bcrypt_cost", "must be between 4 and 31");
		}
		if (minLength < 1 || minLength > MAX_BYTES) {
			throw new InvalidConfigurationException("password.min_length", "must be between 1 and " + MAX_BYTES);
		}
		if (hashingTimeout == null || hashingTimeout.isNegative() || hashingTimeout.isZero()
				|| hashingTimeout.compareTo(Duration.ofMinutes(5)) > 0) {
			throw new InvalidConfigurationException("password.hashing_timeout",
					"must be a positive duration of at most 5 minutes");
		}
		if (hashingQueue < 0) {
			throw new InvalidConfigurationException("password.hashing_queue", "must be 0 or more");
		}
		// The upper bounds keep the encoded hash within the 100 characters the database
		// keeps.
		if (argon2.memoryKib() < 7168 || argon2.memoryKib() > 1_048_576 || argon2.iterations() < 1
				|| argon2.iterations() > 10 || argon2.parallelism() < 1 || argon2.parallelism() > 8) {
			throw new InvalidConfigurationException("password.argon2",
					"needs memory_kib from 7168 (7 MiB) to 1048576 (1 GiB), iterations from 1 to 10 "
							+ "and parallelism from 1 to 8");
		}
	}

	/** How passwords are hashed. */
	public enum Algorithm {

		BCRYPT, ARGON2ID

	}

	/**
	 * Argon2id's cost; the defaults are one of OWASP's minimum configurations (19 MiB, 2
	 * passes, 1 lane).
	 *
	 * @see <a href=
	 * "https://cheatsheetseries.owasp.org/cheatsheets/Password_Storage_Cheat_Sheet.html#argon2id">OWASP
	 * Password Storage Cheat Sheet</a>
	 */
	public record Argon2(@DefaultValue("19456") int memoryKib, @DefaultValue("2") int iterations,
			@DefaultValue("1") int parallelism) {
	}

}
