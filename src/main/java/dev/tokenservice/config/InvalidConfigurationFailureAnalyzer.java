package dev.tokenservice.config;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns an {@link InvalidConfigurationException} anywhere in the start-up failure into
 * one line naming the key and the rule, instead of a stack trace.
 */
class InvalidConfigurationFailureAnalyzer extends AbstractFailureAnalyzer<InvalidConfigurationException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, InvalidConfigurationException cause) {
		return report(cause.getMessage(), cause.getAction(), cause);
	}

	/** The one line every configuration problem stops start-up with, and what to do. */
	static FailureAnalysis report(String problem, String action, Throwable cause) {
		return new FailureAnalysis("Invalid configuration: " + problem, action, cause);
	}

}
