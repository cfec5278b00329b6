package dev.tokenservice.config;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Limits on what a client may send, and the access log ({@code http.*} in config.yml).
 *
 * @param maxBodySize the largest request body; larger ones get 413
 * @param accessLog whether every request is logged on the {@code access} logger, with the
 * token in a {@code /token_status/} path masked
 */
@ConfigurationProperties("http")
public record HttpProperties(DataSize maxBodySize, boolean accessLog) {

	public HttpProperties {
		if (maxBodySize == null || maxBodySize.toBytes() <= 0) {
			throw new InvalidConfigurationException("http.max_body_size", "must be a positive size such as 64KB");
		}
	}

}
