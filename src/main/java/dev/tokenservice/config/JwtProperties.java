package dev.tokenservice.config;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.temporal.ChronoUnit;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.convert.DurationUnit;

/**
 * How tokens are signed and how long they live ({@code jwt.*} in config.yml). An empty
 * secret means "generate one and keep it in the data directory"; the clock skew is how
 * far in the future a token's {@code iat} may lie (clocks of several instances differ a
 * little).
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8725#section-3.5">RFC 8725 §3.5: keys
 * of sufficient length</a>
 */
@ConfigurationProperties("jwt")
public record JwtProperties(String secret, HmacAlgorithm algorithm,
		@DurationUnit(ChronoUnit.MINUTES) Duration expirationTime, String issuer,
		@DurationUnit(ChronoUnit.SECONDS) Duration clockSkew) {

	/**
	 * Longer than any access token should live, short of dates no JWT library handles.
	 */
	public static final Duration MAX_EXPIRATION_TIME = Duration.ofDays(365);

	/** A random base64 secret of 32 characters has about 25 different ones. */
	static final int MIN_DISTINCT_SECRET_CHARACTERS = 10;

	@ConstructorBinding
	public JwtProperties(String secret, String algorithm, @DurationUnit(ChronoUnit.MINUTES) Duration expirationTime,
			String issuer, @DefaultValue("30") @DurationUnit(ChronoUnit.SECONDS) Duration clockSkew) {
		this((secret != null) ? secret : "", HmacAlgorithm.fromConfig(algorithm), expirationTime, issuer, clockSkew);
	}

	public JwtProperties {
		if (!secret.isEmpty() && secret.getBytes(StandardCharsets.UTF_8).length < algorithm.minimumKeyBytes()) {
			throw new InvalidConfigurationException("jwt.secret",
					"is too short for " + algorithm + ": it needs at least " + algorithm.minimumKeyBytes()
							+ " bytes (leave it empty to have one generated)");
		}
		// RFC 8725 §3.5: a human-chosen key can be found offline from any one token. A
		// length check alone lets 32 "a"s through.
		if (!secret.isEmpty() && secret.chars().distinct().count() < MIN_DISTINCT_SECRET_CHARACTERS) {
			throw new InvalidConfigurationException("jwt.secret", "is not random enough (fewer than "
					+ MIN_DISTINCT_SECRET_CHARACTERS + " different characters): use e.g. openssl rand -base64 48");
		}
		// A token's times are whole seconds (RFC 7519 §2): at 500ms every token would
		// be born expired, at 1500ms live one second.
		if (expirationTime == null || expirationTime.toSeconds() < 1 || expirationTime.getNano() != 0) {
			throw new InvalidConfigurationException("jwt.expiration_time",
					"must be a positive number of minutes, or of seconds such as 90s");
		}
		if (expirationTime.compareTo(MAX_EXPIRATION_TIME) > 0) {
			throw new InvalidConfigurationException("jwt.expiration_time",
					"must be at most " + MAX_EXPIRATION_TIME.toMinutes() + " minutes (a year)");
		}
		if (issuer == null || issuer.isBlank()) {
			throw new InvalidConfigurationException("jwt.issuer", "must not be empty");
		}
		if (clockSkew == null || clockSkew.isNegative() || clockSkew.compareTo(Duration.ofMinutes(5)) > 0) {
			throw new InvalidConfigurationException("jwt.clock_skew", "must be between 0 and 300 seconds");
		}
	}

	public boolean hasSecret() {
		return !this.secret.isEmpty();
	}

	@Override
	public String toString() {
		return "JwtProperties[algorithm=" + this.algorithm + ", expirationTime=" + this.expirationTime + ", issuer="
				+ this.issuer + "]";
	}

}
