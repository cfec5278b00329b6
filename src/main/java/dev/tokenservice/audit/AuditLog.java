package dev.tokenservice.audit;

import io.micrometer.core.instrument.Metrics;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The security-relevant events, as {@code key=value} lines on the {@code audit} logger,
 * so an operator can route, keep and search them apart from the application log. Never a
 * password, hash, secret or token: users are named by id and username, tokens by nothing.
 * Failed logins and throttled requests are also counted as metrics, on Micrometer's
 * global registry (which Spring Boot's registry joins), so every caller can stay a plain
 * static call.
 */
public final class AuditLog {

	private static final Logger audit = LoggerFactory.getLogger("audit");

	private AuditLog() {
	}

	public static void registered(long userId, String username, String client) {
		audit.info("event=registered user_id={} username={} client={}", userId, username, client);
	}

	public static void loginSucceeded(long userId, String username, String client) {
		audit.info("event=login_succeeded user_id={} username={} client={}", userId, username, client);
	}

	/**
	 * {@code username}: canonical, or a marker where no account has the name sent.
	 */
	public static void loginFailed(String username, String client, String reason) {
		Metrics.counter("tokenservice.logins.failed", "reason", reason).increment();
		audit.warn("event=login_failed username={} client={} reason={}", username, client, reason);
	}

	/** {@code username}: for the login limits, as for a failed login's; else null. */
	public static void throttled(String limit, @Nullable String username, String client, long retryAfterSeconds) {
		Metrics.counter("tokenservice.requests.throttled", "limit", limit).increment();
		if (username != null) {
			audit.warn("event=throttled limit={} username={} client={} retry_after_s={}", limit, username, client,
					retryAfterSeconds);
		}
		else {
			audit.warn("event=throttled limit={} client={} retry_after_s={}", limit, client, retryAfterSeconds);
		}
	}

	public static void adminAction(String action, long adminId, long targetUserId) {
		audit.info("event=admin_action action={} admin_id={} target_user_id={}", action, adminId, targetUserId);
	}

	public static void accountChanged(String change, long userId) {
		audit.info("event=account_changed change={} user_id={}", change, userId);
	}

	public static void revoked(long callerId, long tokenUserId) {
		audit.info("event=token_revoked caller_id={} token_user_id={}", callerId, tokenUserId);
	}

}
