package dev.tokenservice.config;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The resource servers allowed to call {@code POST /introspect}, with HTTP Basic or
 * {@code client_id} and {@code client_secret} in the form body
 * ({@code introspection.clients} in config.yml).
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7662#section-2.1">RFC 7662 §2.1</a>
 */
@ConfigurationProperties("introspection")
public record IntrospectionProperties(List<Client> clients) {

	/** Long enough that guessing it over HTTP is hopeless. */
	public static final int MIN_SECRET_BYTES = 16;

	public IntrospectionProperties {
		clients = (clients != null) ? List.copyOf(clients) : List.of();
		Map<String, Integer> indexOfId = new HashMap<>();
		for (int i = 0; i < clients.size(); i++) {
			String key = "introspection.clients[" + i + "]";
			clients.get(i).check(key);
			// A client is looked up by its id: one id cannot have two secrets.
			Integer first = indexOfId.putIfAbsent(clients.get(i).id(), i);
			if (first != null) {
				throw new InvalidConfigurationException(key + ".id", "must be unique: " + clients.get(i).id()
						+ " is also the id of introspection.clients[" + first + "]");
			}
		}
	}

	/** One introspection client: its id and secret. */
	public record Client(String id, String secret) {

		void check(String key) {
			if (this.id == null || this.id.isBlank() || this.id.contains(":")) {
				throw new InvalidConfigurationException(key + ".id", "must be set and must not contain ':'");
			}
			if (this.secret == null || this.secret.getBytes(StandardCharsets.UTF_8).length < MIN_SECRET_BYTES) {
				throw new InvalidConfigurationException(key + ".secret",
						"must be at least " + MIN_SECRET_BYTES + " bytes");
			}
		}

		@Override
		public String toString() {
			return "Client[id=" + this.id + "]";
		}

	}

}
