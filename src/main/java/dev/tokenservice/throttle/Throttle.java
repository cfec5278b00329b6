package dev.tokenservice.throttle;

import java.time.Duration;
import java.util.function.Supplier;

import dev.tokenservice.audit.AuditLog;
import dev.tokenservice.config.LimitsProperties;
import dev.tokenservice.config.LimitsProperties.Limit;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.BucketExceptions;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.distributed.BucketProxy;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import org.jspecify.annotations.Nullable;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.stereotype.Component;

/**
 * Admits or refuses logins and registrations by the limits in config.yml. Each limit is a
 * token bucket keyed by what it limits; an attempt takes a token up front and a login
 * that turns out not to be a wrong password gives it back.
 */
@Component
public class Throttle {

	private final ProxyManager<String> buckets;

	private final boolean enabled;

	private final Supplier<BucketConfiguration> perUserAndAddress;

	private final Supplier<BucketConfiguration> perUser;

	private final Supplier<BucketConfiguration> tokenRequestsPerAddress;

	private final Supplier<BucketConfiguration> registrationsPerAddress;

	Throttle(ProxyManager<String> buckets, LimitsProperties limits) {
		this.buckets = buckets;
		this.enabled = limits.enabled();
		this.perUserAndAddress = configuration(limits.failedLoginsPerUserAndAddress());
		this.perUser = configuration(limits.failedLoginsPerUser());
		this.tokenRequestsPerAddress = configuration(limits.tokenRequestsPerAddress());
		this.registrationsPerAddress = configuration(limits.registrationsPerAddress());
	}

	/**
	 * Admits a login of this user (their canonical username, or one marker for names no
	 * account can have) from this address, or throws {@link ThrottledException}.
	 * {@code auditedUser} names the user in the audit line of a refusal, asked only then:
	 * an operator sees which account is being guessed at, or held down, but a name no
	 * account has is often a password typed in the wrong field.
	 */
	public LoginAttempt admitLogin(String user, Supplier<String> auditedUser, String address) {
		if (!this.enabled) {
			return () -> {
			};
		}
		take(bucket("token-requests|" + address, this.tokenRequestsPerAddress), "token_requests_per_address",
				() -> null, address);
		BucketProxy pair = bucket("failed-logins|" + user + "|" + address, this.perUserAndAddress);
		BucketProxy all = bucket("failed-logins|" + user, this.perUser);
		take(pair, "failed_logins_per_user_and_address", auditedUser, address);
		try {
			take(all, "failed_logins_per_user", auditedUser, address);
		}
		catch (ThrottledException ex) {
			giveBack(pair);
			throw ex;
		}
		return () -> {
			giveBack(pair);
			giveBack(all);
		};
	}

	/** Admits a registration from this address, or throws {@link ThrottledException}. */
	public void admitRegistration(String address) {
		if (this.enabled) {
			take(bucket("registrations|" + address, this.registrationsPerAddress), "registrations_per_address",
					() -> null, address);
		}
	}

	private BucketProxy bucket(String key, Supplier<BucketConfiguration> configuration) {
		return this.buckets.builder().build(key, configuration);
	}

	/** {@code auditedUser}: for the login limits, see {@link #admitLogin}. */
	private static void take(BucketProxy bucket, String what, Supplier<@Nullable String> auditedUser, String address) {
		ConsumptionProbe probe = fromStore(() -> bucket.tryConsumeAndReturnRemaining(1));
		if (!probe.isConsumed()) {
			long retryAfter = Math.max(1, Duration.ofNanos(probe.getNanosToWaitForRefill()).toSeconds() + 1);
			AuditLog.throttled(what, auditedUser.get(), address, retryAfter);
			throw new ThrottledException(retryAfter);
		}
	}

	private static void giveBack(BucketProxy bucket) {
		fromStore(() -> {
			bucket.addTokens(1);
			return null;
		});
	}

	/**
	 * On PostgreSQL the buckets live in the database, so its outage is the service's 503,
	 * not an unexpected failure.
	 */
	private static <T> T fromStore(Supplier<T> operation) {
		try {
			return operation.get();
		}
		catch (BucketExceptions.BucketExecutionException ex) {
			throw new DataAccessResourceFailureException("The rate-limit store is unavailable", ex);
		}
	}

	private static Supplier<BucketConfiguration> configuration(Limit limit) {
		BucketConfiguration configuration = BucketConfiguration.builder()
			.addLimit(
					(bandwidth) -> bandwidth.capacity(limit.capacity()).refillGreedy(limit.capacity(), limit.period()))
			.build();
		return () -> configuration;
	}

}
