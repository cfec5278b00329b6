package dev.tokenservice.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.util.FileSystemUtils;

/**
 * Base of the black-box HTTP tests: the whole application on a random port, with its real
 * H2 file database in a temporary data directory and the repository's own config.yml. The
 * signing secret is fixed so tests can craft tokens of their own. Test classes share one
 * server (Spring caches the context), so they use {@link TestUsers} for distinct
 * usernames.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@Tag(HttpTestSupport.CONTRACT_TAG)
public abstract class HttpTestSupport {

	/** The HTTP contract suite, which the build runs on H2 and again on PostgreSQL. */
	public static final String CONTRACT_TAG = "http-contract";

	public static final String SECRET = "test-secret-that-is-long-enough-for-hs256-signing";

	public static final String ISSUER = "token-service";

	/** The admin the service creates at start-up from {@code admin.*}. */
	public static final String ADMIN_USERNAME = "root-admin";

	public static final String ADMIN_PASSWORD = "Admin-Password-For-Tests-1";

	/** The introspection client configured in {@code introspection.clients}. */
	public static final String INTROSPECTION_CLIENT_ID = "resource-server";

	public static final String INTROSPECTION_CLIENT_SECRET = "introspection-secret-for-tests";

	private static final Path DATA_DIR = temporaryDirectory();

	@LocalServerPort
	private int port;

	@Autowired
	protected JdbcTemplate jdbc;

	protected Api api;

	@DynamicPropertySource
	static void testServer(DynamicPropertyRegistry registry) {
		registry.add("data.dir", DATA_DIR::toString);
		registry.add("jwt.secret", () -> SECRET);
		TestDatabase.register(registry, "suite");
		registry.add("admin.username", () -> ADMIN_USERNAME);
		registry.add("admin.password", () -> ADMIN_PASSWORD);
		registry.add("introspection.clients[0].id", () -> INTROSPECTION_CLIENT_ID);
		registry.add("introspection.clients[0].secret", () -> INTROSPECTION_CLIENT_SECRET);
		// Every test client is 127.0.0.1 and some tests fail logins on purpose: limits
		// high enough for the whole suite. The throttling tests start with their own.
		for (String limit : List.of("failed_logins_per_user_and_address", "failed_logins_per_user",
				"token_requests_per_address", "registrations_per_address")) {
			registry.add("limits." + limit + ".capacity", () -> "1000000");
		}
	}

	@BeforeEach
	void connect() {
		this.api = new Api(this.port);
	}

	protected long userIdOf(String username) {
		Long id = this.jdbc.queryForObject("select id from users where username = ?", Long.class, username);
		return (id != null) ? id : -1;
	}

	protected String adminToken() {
		return this.api.tokenFor(ADMIN_USERNAME, ADMIN_PASSWORD);
	}

	private static Path temporaryDirectory() {
		try {
			Path dir = Files.createTempDirectory("token-service-test-");
			// Not deleteOnExit: it deletes only empty directories, and this one holds the
			// database.
			Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteRecursively(dir)));
			return dir;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static void deleteRecursively(Path dir) {
		try {
			FileSystemUtils.deleteRecursively(dir);
		}
		catch (IOException ex) {
			System.err.println("Could not delete the test data directory " + dir + ": " + ex);
		}
	}

}
