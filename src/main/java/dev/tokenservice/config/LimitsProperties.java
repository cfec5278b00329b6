package dev.tokenservice.config;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Abuse limits ({@code limits.*} in config.yml): how many attempts each key may make per
 * period before 429. Each limit is a bucket that refills steadily, so nobody is locked
 * out for good, and refused attempts take nothing from it, so an attacker who keeps
 * trying does not push the end of the wait further away.
 *
 * @param enabled whether any limit applies (off for load tests behind a throttling
 * gateway)
 * @param store where the counters live: {@code memory} (one instance), {@code database}
 * (shared by every instance on one PostgreSQL database) or {@code auto} (the database
 * when it is PostgreSQL)
 */
@ConfigurationProperties("limits")
public record LimitsProperties(boolean enabled, Store store, Limit failedLoginsPerUserAndAddress,
		Limit failedLoginsPerUser, Limit tokenRequestsPerAddress, Limit registrationsPerAddress) {

	public LimitsProperties {
		check("limits.failed_logins_per_user_and_address", failedLoginsPerUserAndAddress);
		check("limits.failed_logins_per_user", failedLoginsPerUser);
		check("limits.token_requests_per_address", tokenRequestsPerAddress);
		check("limits.registrations_per_address", registrationsPerAddress);
		if (store == null) {
			throw new InvalidConfigurationException("limits.store", "must be auto, memory or database");
		}
	}

	private static void check(String key, Limit limit) {
		if (limit == null || limit.capacity() < 1 || limit.period() == null || limit.period().isNegative()
				|| limit.period().isZero()) {
			throw new InvalidConfigurationException(key, "must have a positive capacity and period");
		}
	}

	/** Where the counters live. */
	public enum Store {

		AUTO, MEMORY, DATABASE

	}

	/** At most {@code capacity} attempts, refilled evenly over {@code period}. */
	public record Limit(long capacity, Duration period) {
	}

}
