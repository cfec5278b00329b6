package dev.tokenservice.config;

import java.nio.file.Path;
import java.sql.SQLException;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.core.env.Environment;

/**
 * A second instance started on the data directory of a running one stops with one line
 * saying so, instead of H2's "Database may be already in use" a hundred lines down, whose
 * advice (H2's server mode) is not for this service.
 */
class DataDirectoryInUseFailureAnalyzer implements FailureAnalyzer {

	/**
	 * H2's {@code ErrorCode.DATABASE_ALREADY_OPEN_1}: another process holds its file
	 * lock.
	 */
	private static final int H2_DATABASE_ALREADY_OPEN = 90020;

	private final Environment environment;

	DataDirectoryInUseFailureAnalyzer(Environment environment) {
		this.environment = environment;
	}

	@Override
	public @Nullable FailureAnalysis analyze(Throwable failure) {
		String dir = this.environment.getProperty("data.dir", "");
		// A database.url of its own may put the H2 file elsewhere: then data.dir is not
		// the cause.
		if (!alreadyOpen(failure) || !this.environment.getProperty("database.url", "").contains(dir)) {
			return null;
		}
		return InvalidConfigurationFailureAnalyzer.report("data.dir " + Path.of(dir).toAbsolutePath().normalize()
				+ " is in use by another running instance of the service: stop it, or give this one another data.dir "
				+ "(several instances need PostgreSQL: database.url)",
				"Stop the other instance, or start this one with another data.dir (DATA_DIR); instances that share "
						+ "their users need PostgreSQL (database.url, DATABASE_URL).",
				failure);
	}

	private static boolean alreadyOpen(Throwable failure) {
		return FailureCauses.of(failure)
			.anyMatch((cause) -> cause instanceof SQLException sql && sql.getErrorCode() == H2_DATABASE_ALREADY_OPEN);
	}

}
