package dev.tokenservice.config;

import java.sql.SQLException;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.SQLExceptionOverride;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The connection pool, built from {@code database.*} so that one validated record holds
 * every database setting. A request that cannot get a connection within the timeout fails
 * fast (503) instead of piling up threads while the database is away.
 */
@Configuration(proxyBeanMethods = false)
class DatabaseConfiguration {

	/** Hikari's own default; it must not exceed the connection timeout. */
	private static final long MAX_VALIDATION_TIMEOUT_MS = 5000;

	/** H2's {@code ErrorCode.DATABASE_IS_CLOSED}. */
	private static final int H2_DATABASE_IS_CLOSED = 90098;

	@Bean
	HikariDataSource dataSource(DatabaseProperties database) {
		HikariDataSource dataSource = new HikariDataSource();
		dataSource.setPoolName("database");
		dataSource.setJdbcUrl(database.url());
		dataSource.setUsername(database.username());
		dataSource.setPassword(database.password());
		dataSource.setMaximumPoolSize(database.poolSize());
		long timeout = database.connectionTimeout().toMillis();
		dataSource.setConnectionTimeout(timeout);
		dataSource.setValidationTimeout(Math.min(timeout, MAX_VALIDATION_TIMEOUT_MS));
		if (database.isPostgres()) {
			// Without it a read on a connection whose network vanished waits for ever.
			dataSource.addDataSourceProperty("socketTimeout", String.valueOf(Math.max(1, timeout / 1000)));
		}
		else {
			dataSource.setExceptionOverride(new ReopenClosedH2(dataSource));
		}
		return dataSource;
	}

	/**
	 * H2 closes its store when a write to its file fails (a full disk), and every pooled
	 * connection is dead from then on. Dropping them all lets new connections open the
	 * store again, so reads such as token checks go on while each failing write gets its
	 * 503.
	 */
	private static final class ReopenClosedH2 implements SQLExceptionOverride {

		private final HikariDataSource pool;

		ReopenClosedH2(HikariDataSource pool) {
			this.pool = pool;
		}

		@java.lang.Override
		public Override adjudicate(SQLException ex) {
			if (ex.getErrorCode() != H2_DATABASE_IS_CLOSED) {
				return Override.CONTINUE_EVICT;
			}
			this.pool.getHikariPoolMXBean().softEvictConnections();
			return Override.MUST_EVICT;
		}

	}

}
