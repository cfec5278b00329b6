package dev.tokenservice.config;

import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.SQLExceptionOverride;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * The connection pool, built from {@code database.*} so that one validated record holds
 * every database setting. A request that cannot get a connection within the timeout fails
 * fast (503) instead of piling up threads while the database is away.
 */
@Configuration(proxyBeanMethods = false)
class DatabaseConfiguration {

	/** Hikari's own default; it must not exceed the connection timeout. */
	private static final long MAX_VALIDATION_TIMEOUT_MS = 5000;

	/** How much sooner than the driver the server ends a statement. */
	private static final long SERVER_FIRST_MS = 500;

	/** PostgreSQL's read_only_sql_transaction: the session may not write. */
	static final String READ_ONLY_SESSION = "25006";

	/** H2's {@code ErrorCode.DATABASE_IS_CLOSED}. */
	private static final int H2_DATABASE_IS_CLOSED = 90098;

	/**
	 * Spring Boot's own keys, which this service does not read: set on a fleet, they
	 * would leave each instance on an embedded database of its own.
	 */
	private static final List<String> SPRING_DATASOURCE_KEYS = List.of("spring.datasource.url",
			"spring.datasource.username", "spring.datasource.password");

	@Bean
	HikariDataSource dataSource(DatabaseProperties database, Environment environment) {
		refuseSpringDatasourceKeys(environment);
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
			long socketTimeoutSeconds = Math.max(1, timeout / 1000);
			dataSource.addDataSourceProperty("socketTimeout", String.valueOf(socketTimeoutSeconds));
			dataSource.setConnectionInitSql(serverSideTimeouts(socketTimeoutSeconds * 1000));
			dataSource.setExceptionOverride(new RenewReadOnlySessions(dataSource));
		}
		else {
			dataSource.setExceptionOverride(new ReopenClosedH2(dataSource));
		}
		return dataSource;
	}

	/**
	 * The server's side of the socket timeout. A statement (a wait for a lock included)
	 * ends on the server just before the driver gives up on it, so the connection stays
	 * usable; otherwise the pool opens a new one while the old session waits on, until
	 * one held lock takes every connection the server has. A session that stopped
	 * mid-transaction (its network froze) is ended, with its locks, and a vanished client
	 * noticed within about a minute instead of the system's two hours. Statements rather
	 * than startup options, which PgBouncer refuses.
	 */
	private static String serverSideTimeouts(long socketTimeoutMs) {
		return "SET statement_timeout = " + (socketTimeoutMs - SERVER_FIRST_MS)
				+ "; SET idle_in_transaction_session_timeout = " + (2 * socketTimeoutMs)
				+ "; SET tcp_keepalives_idle = 30; SET tcp_keepalives_interval = 10; SET tcp_keepalives_count = 3";
	}

	private static void refuseSpringDatasourceKeys(Environment environment) {
		for (String key : SPRING_DATASOURCE_KEYS) {
			if (environment.containsProperty(key)) {
				String ours = key.replace("spring.datasource", "database");
				throw new InvalidConfigurationException(key, "is not read by this service: set " + ours + " ("
						+ ours.replace('.', '_').toUpperCase(Locale.ROOT) + ") instead");
			}
		}
	}

	/**
	 * A session that may not write stays so: one opened while the database was switched
	 * to read-only keeps that default once the switch is undone, and one left on an old
	 * primary that a failover made read-only without ending its sessions stays there. The
	 * pool would keep such connections for their whole lifetime (30 minutes), every write
	 * on them a 503. A refusal therefore renews the pool, at most once a second so that a
	 * database that stays read-only is not flooded with new connections; each connection
	 * is closed when it comes back, after its rollback.
	 */
	private static final class RenewReadOnlySessions implements SQLExceptionOverride {

		private static final long RENEWAL_INTERVAL_NANOS = Duration.ofSeconds(1).toNanos();

		private final HikariDataSource pool;

		private final AtomicLong lastRenewal = new AtomicLong(System.nanoTime() - RENEWAL_INTERVAL_NANOS);

		RenewReadOnlySessions(HikariDataSource pool) {
			this.pool = pool;
		}

		@java.lang.Override
		public Override adjudicate(SQLException ex) {
			if (READ_ONLY_SESSION.equals(ex.getSQLState()) && renewalDue()) {
				this.pool.getHikariPoolMXBean().softEvictConnections();
			}
			return Override.CONTINUE_EVICT;
		}

		private boolean renewalDue() {
			long now = System.nanoTime();
			long last = this.lastRenewal.get();
			return now - last >= RENEWAL_INTERVAL_NANOS && this.lastRenewal.compareAndSet(last, now);
		}

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
