package dev.tokenservice.web;

import java.util.Map;

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
 * entities (with password hashes). Runs right after Spring Boot applies
 * {@code logging.level.*}, so no configuration can turn them back on; other loggers stay
 * free to go to DEBUG.
 */
class SensitiveLoggerLevels implements ApplicationListener<ApplicationEnvironmentPreparedEvent>, Ordered {

	/** Each logger and the most verbose level at which it is still safe. */
	static final Map<String, LogLevel> QUIETEST_SAFE_LEVELS = Map.ofEntries(
			Map.entry("org.springframework.security.web.FilterChainProxy", LogLevel.INFO),
			Map.entry("org.springframework.web.servlet.DispatcherServlet", LogLevel.INFO),
			Map.entry("org.springframework.web.method.HandlerMethod", LogLevel.INFO),
			Map.entry("org.springframework.web.servlet.mvc.method.annotation", LogLevel.INFO),
			Map.entry("org.springframework.web.servlet.mvc.support", LogLevel.INFO),
			// "No mapping for GET /token-status/<token>" (a mistyped path) at WARN.
			Map.entry("org.springframework.web.servlet.PageNotFound", LogLevel.ERROR),
			// The target of a request line it cannot parse, token included, at INFO.
			Map.entry("org.apache.coyote.http11.Http11Processor", LogLevel.WARN),
			Map.entry("org.hibernate", LogLevel.INFO), Map.entry("org.hibernate.orm.jdbc.bind", LogLevel.OFF),
			Map.entry("org.hibernate.orm.jdbc.extract", LogLevel.OFF),
			// The JDBC URL, with any password= in it, at INFO (Hikari masks it).
			Map.entry("org.hibernate.orm.connections.pooling", LogLevel.WARN),
			// The database's own message ("Key (username)=(admin) already exists"); the
			// service logs each failure it handles without it.
			Map.entry("org.hibernate.orm.jdbc.error", LogLevel.OFF));

	@Override
	public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
		LoggingSystem logging = LoggingSystem.get(event.getSpringApplication().getClassLoader());
		QUIETEST_SAFE_LEVELS.forEach((name, safest) -> {
			LoggerConfiguration configured = logging.getLoggerConfiguration(name);
			LogLevel effective = (configured != null) ? configured.getEffectiveLevel() : null;
			if (effective == null || effective.ordinal() < safest.ordinal()) {
				logging.setLogLevel(name, safest);
			}
		});
	}

	/**
	 * After Spring Boot's LoggingApplicationListener has applied the configured levels.
	 */
	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

}
