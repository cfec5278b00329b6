package dev.tokenservice.config;

import java.nio.file.Path;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where the service keeps everything it writes: the embedded database and the generated
 * secret ({@code data.dir} in config.yml).
 */
@ConfigurationProperties("data")
public record DataProperties(Path dir) {

	public DataProperties {
		if (dir == null || dir.toString().isBlank()) {
			throw new InvalidConfigurationException("data.dir", "must name a directory");
		}
	}

}
