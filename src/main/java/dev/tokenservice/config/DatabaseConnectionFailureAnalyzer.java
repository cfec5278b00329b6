package dev.tokenservice.config;

import java.sql.SQLException;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns a start-up that cannot reach the database (refused or unknown host, no such
 * database, no such role, wrong password) into one line with the driver's reason, which
 * names the host, database or role but never the password, instead of some ninety lines
 * of nested causes.
 */
class DatabaseConnectionFailureAnalyzer extends AbstractFailureAnalyzer<SQLException> {

	@Override
	protected @Nullable FailureAnalysis analyze(Throwable rootFailure, SQLException cause) {
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
	 * The innermost SQL exception of a connection attempt: SQLSTATE class 08
	 * (connection), 28 (authorization) or 3D000 (no such database).
	 */
	private static @Nullable SQLException connectionFailure(Throwable failure) {
		SQLException found = null;
		for (Throwable cause = failure; cause != null && cause.getCause() != cause; cause = cause.getCause()) {
			if (cause instanceof SQLException sql && sql.getSQLState() != null
					&& sql.getSQLState().matches("08...|28...|3D000")) {
				found = sql;
			}
		}
		return found;
	}

}
