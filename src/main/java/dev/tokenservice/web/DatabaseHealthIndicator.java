package dev.tokenservice.web;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * The database check of the health and readiness probes ({@code db}), in place of Spring
 * Boot's, which logs every failed check with the driver's message and some 160 lines of
 * stack trace: a load balancer probing every few seconds through an outage would flood
 * the log. This one logs one line when the database becomes unavailable, with the
 * exception's type and SQLSTATE but not its message (drivers quote values in it), and one
 * when it is back.
 */
@Component("dbHealthIndicator")
@ConditionalOnEnabledHealthIndicator("db")
class DatabaseHealthIndicator implements HealthIndicator {

	private static final Logger logger = LoggerFactory.getLogger(DatabaseHealthIndicator.class);

	private final DataSource dataSource;

	private final AtomicBoolean down = new AtomicBoolean();

	DatabaseHealthIndicator(DataSource dataSource) {
		this.dataSource = dataSource;
	}

	/**
	 * As Spring Boot's: a connection from the pool that {@link Connection#isValid}
	 * accepts (a PostgreSQL connection's socket timeout bounds the wait).
	 */
	@Override
	public Health health() {
		String reason;
		try (Connection connection = this.dataSource.getConnection()) {
			if (connection.isValid(0)) {
				String product = connection.getMetaData().getDatabaseProductName();
				if (this.down.compareAndSet(true, false)) {
					logger.info("Database available again for readiness");
				}
				return Health.up().withDetail("database", product).build();
			}
			reason = "connection not valid";
		}
		catch (SQLException | RuntimeException ex) {
			reason = ex.getClass().getSimpleName() + FailureTrace.sqlState(ex);
		}
		if (this.down.compareAndSet(false, true)) {
			logger.warn("Database unavailable for readiness: {}", reason);
		}
		return Health.down().withDetail("error", reason).build();
	}

}
