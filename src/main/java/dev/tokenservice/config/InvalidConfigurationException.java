package dev.tokenservice.config;

/**
 * A configuration value the service cannot run with; start-up stops with the message,
 * which names the key and the rule but never the value of a secret.
 */
public class InvalidConfigurationException extends RuntimeException {

	private final String key;

	public InvalidConfigurationException(String key, String rule) {
		super(key + " " + rule);
		this.key = key;
	}

	public String getKey() {
		return this.key;
	}

}
