package dev.tokenservice.web;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggerConfiguration;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.context.ApplicationListener;
import org.springframework.core.Ordered;

/**
 * Keeps the framework loggers that quote request data at a level where they do not: at
 * DEBUG and TRACE (a few even at INFO or WARN) they print request paths (with tokens),
 * query strings, JSON parse errors (with the offending value) and bound SQL parameters or
 * entities (with password hashes); and those that print the driver's message with a stack
 * trace for each connection a database outage breaks (the connection pool's, Hibernate's
 * session log). Runs right after Spring Boot applies {@code logging.level.*}, so no
 * configuration can turn them back on; other loggers stay free to go to DEBUG.
 */
class SensitiveLoggerLevels implements ApplicationListener<ApplicationEnvironmentPreparedEvent>, Ordered {

	/**
	 * Each logger and the most verbose level at which it, and every logger below it, is
	 * still safe.
	 */
	private static final Map<String, LogLevel> QUIETEST_SAFE_LEVELS = Map.ofEntries(
			Map.entry("org.springframework.security.web.FilterChainProxy", LogLevel.INFO),
			// "Authorizing GET /token_status/<token>" at TRACE.
			Map.entry("org.springframework.security.web.access", LogLevel.INFO),
			Map.entry("org.springframework.web.servlet.DispatcherServlet", LogLevel.INFO),
			Map.entry("org.springframework.web.method.HandlerMethod", LogLevel.INFO),
			Map.entry("org.springframework.web.servlet.mvc.method.annotation", LogLevel.INFO),
			Map.entry("org.springframework.web.servlet.mvc.support", LogLevel.INFO),
			// "No mapping for GET /token-status/<token>" (a mistyped path) at WARN.
			Map.entry("org.springframework.web.servlet.PageNotFound", LogLevel.ERROR),
			// A start-up failure's stack trace at DEBUG, quoting the configuration value
			// (a secret in the wrong place) whose conversion failed.
			Map.entry("org.springframework.boot.diagnostics.LoggingFailureAnalysisReporter", LogLevel.INFO),
			// Tomcat quotes request lines, headers, bodies and parameters at DEBUG and
			// TRACE, the target of a request line it cannot parse at INFO, and an invalid
			// cookie (a token or a password in it) or parameter at INFO.
			Map.entry("org.apache.catalina", LogLevel.INFO), Map.entry("org.apache.coyote", LogLevel.INFO),
			Map.entry("org.apache.tomcat", LogLevel.INFO),
			Map.entry("org.apache.coyote.http11.Http11Processor", LogLevel.WARN),
			Map.entry("org.apache.tomcat.util.http", LogLevel.WARN), Map.entry("org.hibernate", LogLevel.INFO),
			Map.entry("org.hibernate.orm.jdbc.bind", LogLevel.OFF),
			Map.entry("org.hibernate.orm.jdbc.extract", LogLevel.OFF),
			// The JDBC URL, with any password= in it, at INFO (Hikari masks it).
			Map.entry("org.hibernate.orm.connections.pooling", LogLevel.WARN),
			// The database's own message ("Key (username)=(admin) already exists"); the
			// service logs each failure it handles without it.
			Map.entry("org.hibernate.orm.jdbc.error", LogLevel.OFF),
			// HHH90010102 at ERROR: a query that failed in a transaction already
			// marked for rollback (a connection the server ended), with the driver's
			// message and a stack trace.
			Map.entry("org.hibernate.orm.session", LogLevel.OFF),
			// The driver's message and a stack trace at WARN for every connection the
			// server ended or that was found dead: thousands of lines while a database
			// restarts. Each request that fails logs its own line, and readiness one
			// line when the database goes away (DatabaseHealthIndicator).
			Map.entry("com.zaxxer.hikari.pool.ProxyConnection", LogLevel.ERROR),
			Map.entry("com.zaxxer.hikari.pool.PoolBase", LogLevel.ERROR),
			// "Application exception overridden by rollback exception" at ERROR: a
			// transaction whose connection the server ended, with the driver's message,
			// the SQL and a stack trace (and the database's own message, were the first
			// failure a refused insert). The request's 503 is logged as for the others.
			Map.entry("org.springframework.transaction.interceptor.TransactionInterceptor", LogLevel.OFF));

	/**
	 * Parents before children, so a child configured more verbose than its clamped parent
	 * is clamped too.
	 */
	@Override
	public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
		LoggingSystem logging = LoggingSystem.get(event.getSpringApplication().getClassLoader());
		Set<String> names = new TreeSet<>(QUIETEST_SAFE_LEVELS.keySet());
		logging.getLoggerConfigurations().forEach((configuration) -> names.add(configuration.getName()));
		for (String name : names) {
			LogLevel safest = quietestSafeLevel(name);
			LoggerConfiguration configured = logging.getLoggerConfiguration(name);
			LogLevel effective = (configured != null) ? configured.getEffectiveLevel() : null;
			if (safest != null && (effective == null || effective.ordinal() < safest.ordinal())) {
				logging.setLogLevel(name, safest);
			}
		}
	}

	/** The level of the closest clamped logger at or above this one, if any. */
	private static @Nullable LogLevel quietestSafeLevel(String name) {
		String candidate = name;
		while (!QUIETEST_SAFE_LEVELS.containsKey(candidate)) {
			int dot = candidate.lastIndexOf('.');
			if (dot < 0) {
				return null;
			}
			candidate = candidate.substring(0, dot);
		}
		return QUIETEST_SAFE_LEVELS.get(candidate);
	}

	/**
	 * After Spring Boot's LoggingApplicationListener has applied the configured levels.
	 */
	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

}
