package dev.tokenservice.config;

import java.net.SocketTimeoutException;
import java.sql.SQLException;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns a start-up that cannot reach the database (refused or unknown host, no such
 * database, no such role, wrong password) into one line with the driver's reason, which
 * names the host, database or role but never the password, instead of some ninety lines
 * of nested causes; likewise one that cannot migrate a database that takes no writes, or
 * whose statement waited too long.
 */
class DatabaseConnectionFailureAnalyzer extends AbstractFailureAnalyzer<SQLException> {

	@Override
	protected @Nullable FailureAnalysis analyze(Throwable rootFailure, SQLException cause) {
		SQLException timeout = statementTimedOut(rootFailure);
		if (timeout != null) {
			return new FailureAnalysis(
					"The database did not answer a statement within database.connection_timeout (SQLSTATE "
							+ timeout.getSQLState() + ")",
					"Look for a session holding a lock on the service's tables (pg_locks), or raise "
							+ "database.connection_timeout (DATABASE_CONNECTIONTIMEOUT), then start again.",
					timeout);
		}
		SQLException readOnly = innermost(rootFailure, DatabaseConfiguration.READ_ONLY_SESSION);
		if (readOnly != null) {
			return new FailureAnalysis(
					"The database takes no writes (SQLSTATE 25006): it is a standby, or default_transaction_read_only "
							+ "is on, so the service's tables cannot be created or migrated",
					"Point database.url (DATABASE_URL) at the primary (with several servers, add "
							+ "targetServerType=primary), or turn the read-only setting off, then start again.",
					readOnly);
		}
		SQLException connection = connectionFailure(rootFailure);
		if (connection == null) {
			return null;
		}
		return new FailureAnalysis(
				"Cannot connect to the database: " + connection.getMessage() + " (SQLSTATE " + connection.getSQLState()
						+ ")",
				"Check database.url, database.username and database.password (DATABASE_URL, DATABASE_USERNAME, "
						+ "DATABASE_PASSWORD) and that the database server is running, then start again.",
				connection);
	}

	/**
	 * The connection was made but a statement took too long: the server ended it (57014,
	 * its statement timeout) or the driver's socket timeout did (08006). A lock held
	 * elsewhere, not an address or a password; a connection never made (08001) is not
	 * this.
	 */
	private static @Nullable SQLException statementTimedOut(Throwable failure) {
		SQLException canceled = innermost(failure, "57014");
		if (canceled != null) {
			return canceled;
		}
		SQLException lost = innermost(failure, "08006");
		return (lost != null && FailureCauses.first(failure, SocketTimeoutException.class) != null) ? lost : null;
	}

	/**
	 * The innermost SQL exception of a connection attempt: SQLSTATE class 08
	 * (connection), 28 (authorization) or 3D000 (no such database).
	 */
	private static @Nullable SQLException connectionFailure(Throwable failure) {
		return innermost(failure, "08...|28...|3D000");
	}

	private static @Nullable SQLException innermost(Throwable failure, String sqlStates) {
		return FailureCauses.of(failure)
			.filter((cause) -> cause instanceof SQLException sql && sql.getSQLState() != null
					&& sql.getSQLState().matches(sqlStates))
			.map(SQLException.class::cast)
			.reduce((outer, inner) -> inner)
			.orElse(null);
	}

}
