package dev.tokenservice.config;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/** Limits on what a client may send ({@code http.*} in config.yml). */
@ConfigurationProperties("http")
public record HttpProperties(DataSize maxBodySize) {

	public HttpProperties {
		if (maxBodySize == null || maxBodySize.toBytes() <= 0) {
			throw new InvalidConfigurationException("http.max_body_size", "must be a positive size such as 64KB");
		}
	}

}
