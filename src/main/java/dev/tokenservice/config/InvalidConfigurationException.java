package dev.tokenservice.config;

/**
 * A configuration value the service cannot run with; start-up stops with the message,
 * which names the key and the rule but never the value of a secret.
 */
public class InvalidConfigurationException extends RuntimeException {

	private final String key;

	private final String action;

	public InvalidConfigurationException(String key, String rule) {
		this(key, rule, "Correct " + key + " in config.yml (or the environment variable it reads) and start again.");
	}

	InvalidConfigurationException(String key, String rule, String action) {
		super(key + " " + rule);
		this.key = key;
		this.action = action;
	}

	public String getKey() {
		return this.key;
	}

	/** What the operator should do, shown under the message. */
	public String getAction() {
		return this.action;
	}

}
