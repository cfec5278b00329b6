package dev.tokenservice.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The JWS HMAC algorithms the service signs with, and the shortest secret each accepts.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7518#section-3.2">RFC 7518 §3.2</a>
 */
public enum HmacAlgorithm {

	HS256(32), HS384(48), HS512(64);

	private final int minimumKeyBytes;

	HmacAlgorithm(int minimumKeyBytes) {
		this.minimumKeyBytes = minimumKeyBytes;
	}

	public int minimumKeyBytes() {
		return this.minimumKeyBytes;
	}

	/** The JCA name of the MAC, such as {@code HmacSHA256}. */
	public String jcaName() {
		return "HmacSHA" + name().substring(2);
	}

	static HmacAlgorithm fromConfig(String name) {
		return Arrays.stream(values())
			.filter((algorithm) -> algorithm.name().equals(name.trim().toUpperCase(Locale.ROOT)))
			.findFirst()
			.orElseThrow(() -> new InvalidConfigurationException("jwt.algorithm",
					"must be one of " + names() + " (got '" + name + "')"));
	}

	private static String names() {
		return Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", "));
	}

}
