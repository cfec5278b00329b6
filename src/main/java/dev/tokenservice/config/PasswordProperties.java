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
 * @param hashingTimeout how long a request may wait for a free hashing slot before it
 * gets 503
 * @see <a href="https://pages.nist.gov/800-63-4/sp800-63b.html#password">NIST SP 800-63B
 * §3.1.1</a>
 */
@ConfigurationProperties("password")
public record PasswordProperties(int bcryptCost, int minLength, @DefaultValue("true") boolean rejectCommon,
		@DefaultValue("10s") Duration hashingTimeout) {

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
		if (hashingTimeout == null || hashingTimeout.isNegative() || hashingTimeout.isZero()) {
			throw new InvalidConfigurationException("password.hashing_timeout", "must be a positive duration");
		}
	}

}
