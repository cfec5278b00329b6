package dev.tokenservice.web;

import java.sql.SQLException;
import java.util.Arrays;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;

/**
 * Describes an unexpected exception for the log by its types and stack frames only.
 * Exception messages are left out because drivers and containers quote request data in
 * them (a form value, a column value), and that data may be a password, hash or token.
 */
final class FailureTrace {

	private static final int FRAMES_PER_CAUSE = 12;

	private FailureTrace() {
	}

	static String of(Throwable failure) {
		StringBuilder trace = new StringBuilder();
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			trace.append(System.lineSeparator())
				.append(cause == failure ? "" : "Caused by: ")
				.append(cause.getClass().getName())
				.append(Arrays.stream(cause.getStackTrace())
					.limit(FRAMES_PER_CAUSE)
					.map((frame) -> System.lineSeparator() + "\tat " + frame)
					.collect(Collectors.joining()));
			if (cause.getCause() == cause) {
				break;
			}
		}
		return trace.toString();
	}

	/**
	 * {@code " (SQLSTATE 08001)"} for the first {@link SQLException} in the cause chain,
	 * or nothing if there is none or it has no SQLSTATE.
	 */
	static String sqlState(Throwable failure) {
		SQLException sql = causeOf(failure, SQLException.class);
		return (sql != null && sql.getSQLState() != null) ? " (SQLSTATE " + sql.getSQLState() + ")" : "";
	}

	/**
	 * The first exception of that type in the cause chain, the failure itself included.
	 */
	static <T extends Throwable> @Nullable T causeOf(Throwable failure, Class<T> type) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (type.isInstance(cause)) {
				return type.cast(cause);
			}
		}
		return null;
	}

}
