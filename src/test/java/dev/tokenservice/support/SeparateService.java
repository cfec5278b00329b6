package dev.tokenservice.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.tokenservice.TokenServiceApplication;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A service of a test's own, started with settings the shared one cannot have (tiny
 * limits, a slow hash, trusted proxies), and plain HTTP/1.1 to it with an optional
 * {@code X-Forwarded-For} header that stands for the client's address.
 */
public final class SeparateService implements AutoCloseable {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final HttpClient http = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(5))
		.build();

	private final ConfigurableApplicationContext context;

	private final @Nullable PostgresTestDatabase database;

	private final int port;

	private SeparateService(ConfigurableApplicationContext context, @Nullable PostgresTestDatabase database) {
		this.context = context;
		this.database = database;
		this.port = Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
	}

	/**
	 * Starts the service on a free port with its data in {@code dataDir}, no config file,
	 * and {@code settings} ({@code key=value}, later ones win) over the defaults.
	 */
	public static SeparateService start(Path dataDir, String secret, String... settings) {
		Map<String, String> properties = new LinkedHashMap<>();
		properties.put("server.port", "0");
		properties.put("data.dir", dataDir.toString());
		properties.put("config.file", "/dev/null");
		properties.put("jwt.secret", secret);
		for (String setting : settings) {
			String[] keyAndValue = setting.split("=", 2);
			properties.put(keyAndValue[0], keyAndValue[1]);
		}
		// In the contract suite's PostgreSQL run, a database of its own, dropped on
		// close.
		PostgresTestDatabase database = TestDatabase.isPostgres() ? PostgresTestDatabase.create("separate") : null;
		if (database != null) {
			properties.putIfAbsent("database.url", database.url());
			properties.putIfAbsent("database.username", database.username());
		}
		String[] args = properties.entrySet()
			.stream()
			.map((property) -> "--" + property.getKey() + "=" + property.getValue())
			.toArray(String[]::new);
		try {
			return new SeparateService(SpringApplication.run(TokenServiceApplication.class, args), database);
		}
		catch (RuntimeException ex) {
			if (database != null) {
				database.close();
			}
			throw ex;
		}
	}

	public ConfigurableApplicationContext context() {
		return this.context;
	}

	public Reply register(String username, String forwardedFor) {
		return register(username, TestUsers.PASSWORD, forwardedFor);
	}

	public Reply register(String username, String password, String forwardedFor) {
		return post("/register-user", "application/json",
				JSON.writeValueAsString(
						Map.of("username", username, "password", password, "email", TestUsers.emailOf(username))),
				forwardedFor);
	}

	/** A new user whose registration must succeed; its username. */
	public String registered(String base, String forwardedFor) {
		String username = TestUsers.uniqueName(base);
		Reply reply = register(username, forwardedFor);
		assertThat(reply.status()).as("registration: %s", reply).isEqualTo(201);
		return username;
	}

	public Reply token(String username, String password, String forwardedFor) {
		return post("/token", "application/json",
				JSON.writeValueAsString(Map.of("username", username, "password", password)), forwardedFor);
	}

	public Reply passwordGrant(String username, String password, String forwardedFor) {
		return post("/token", "application/x-www-form-urlencoded",
				Api.form(Map.of("grant_type", "password", "username", username, "password", password)), forwardedFor);
	}

	public Reply changePassword(String token, String currentPassword, String newPassword, String forwardedFor) {
		return post("/change-password", "application/json",
				JSON.writeValueAsString(Map.of("current_password", currentPassword, "new_password", newPassword)),
				forwardedFor, "Authorization", Api.bearer(token));
	}

	public Reply get(String path) {
		return send(request(path).GET());
	}

	private Reply post(String path, String contentType, String body, String forwardedFor,
			String... headerNamesAndValues) {
		HttpRequest.Builder request = request(path).header("Content-Type", contentType)
			.POST(BodyPublishers.ofString(body));
		if (forwardedFor != null) {
			request.header("X-Forwarded-For", forwardedFor);
		}
		for (int i = 0; i < headerNamesAndValues.length; i += 2) {
			request.header(headerNamesAndValues[i], headerNamesAndValues[i + 1]);
		}
		return send(request);
	}

	private HttpRequest.Builder request(String path) {
		return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
			.timeout(Duration.ofSeconds(30));
	}

	private Reply send(HttpRequest.Builder request) {
		try {
			HttpResponse<String> response = this.http.send(request.build(), BodyHandlers.ofString());
			return new Reply(response.statusCode(), response.headers(), response.body());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	@Override
	public void close() {
		this.context.close();
		if (this.database != null) {
			this.database.close();
		}
	}

}
