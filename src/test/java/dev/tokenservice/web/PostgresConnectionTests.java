package dev.tokenservice.web;

import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import dev.tokenservice.TokenServiceApplication;
import dev.tokenservice.config.InvalidConfigurationException;
import dev.tokenservice.support.Api;
import dev.tokenservice.support.PostgresTestDatabase;
import dev.tokenservice.support.TcpProxy;
import dev.tokenservice.support.TestUsers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The service's connections to PostgreSQL: ended by the server under it (a restart, a
 * failover, an administrator's {@code pg_terminate_backend}), they cost a request a 503,
 * never a 500; and a password written into the JDBC URL stays out of the log.
 */
@ExtendWith(OutputCaptureExtension.class)
class PostgresConnectionTests {

	/**
	 * Trust authentication ignores it; the log must not show it, even with the connection
	 * pool's loggers at DEBUG.
	 */
	private static final String URL_PASSWORD = "Url-Password-Quokka-4471";

	@TempDir
	Path dir;

	private PostgresTestDatabase database;

	private ConfigurableApplicationContext context;

	private Api api;

	@BeforeEach
	void start() {
		this.database = PostgresTestDatabase.create("connections");
		String url = this.database.url() + (this.database.url().contains("?") ? "&" : "?") + "password=" + URL_PASSWORD;
		// With the rate limits off, a login's first statement is JPA's, whose driver
		// errors Hibernate leaves uncategorised (plain JDBC's are translated).
		this.context = SpringApplication.run(TokenServiceApplication.class, "--server.port=0",
				"--data.dir=" + this.dir.resolve("data"), "--config.file=/dev/null", "--database.url=" + url,
				"--database.username=" + this.database.username(),
				"--jwt.secret=postgres-connection-secret-long-enough-for-hs256", "--password.bcrypt_cost=4",
				"--limits.enabled=false", "--logging.level.com.zaxxer.hikari=DEBUG",
				"--logging.level.org.hibernate.orm.connections=DEBUG");
		this.api = new Api(Integer.parseInt(this.context.getEnvironment().getProperty("local.server.port")));
	}

	@AfterEach
	void stop() {
		if (this.context != null) {
			this.context.close();
		}
		if (this.database != null) {
			this.database.close();
		}
	}

	@Test
	void startWhenJdbcUrlCarriesPasswordThenLogNeverShowsIt(CapturedOutput output) {
		assertThat(this.api.get("/actuator/health/readiness").status()).isEqualTo(200);

		assertThat(output.getAll()).doesNotContain(URL_PASSWORD);
	}

	/**
	 * {@code DATABASE_URL} as container platforms set it; trust authentication ignores
	 * the password, which must not be printed.
	 */
	@Test
	void startWhenDatabaseUrlInLibpqFormThenServes(CapturedOutput output) {
		String libpq = this.database.url()
			.replaceFirst("^jdbc:postgresql://", "postgres://" + this.database.username() + ":" + URL_PASSWORD + "@");
		try (ConfigurableApplicationContext libpqContext = SpringApplication.run(TokenServiceApplication.class,
				"--server.port=0", "--data.dir=" + this.dir.resolve("libpq"), "--config.file=/dev/null",
				"--database.url=" + libpq, "--jwt.secret=postgres-connection-secret-long-enough-for-hs256",
				"--password.bcrypt_cost=4")) {
			Api libpqApi = new Api(Integer.parseInt(libpqContext.getEnvironment().getProperty("local.server.port")));

			assertThat(libpqApi.get("/actuator/health/readiness").status()).isEqualTo(200);
			String username = TestUsers.registered(libpqApi, "libpq");
			assertThat(this.api.token(username, TestUsers.PASSWORD).status()).as("the same database").isEqualTo(200);
		}
		assertThat(output.getAll()).doesNotContain(URL_PASSWORD);
	}

	/**
	 * A role that may only read (grants forgotten after a restore) would start, report
	 * ready, then fail every login and registration.
	 */
	@Test
	void startWhenRoleMayOnlyReadThenFailsNamingDatabaseUsername(CapturedOutput output) {
		String role = "ts_read_only_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
		this.database.executeInDatabase("CREATE ROLE " + role + " LOGIN", "GRANT USAGE ON SCHEMA public TO " + role,
				"GRANT SELECT ON ALL TABLES IN SCHEMA public TO " + role);
		try {
			assertThatThrownBy(() -> startAnother("read-only", this.database.url(), role).close())
				.isInstanceOf(InvalidConfigurationException.class);
			assertThat(output.getAll()).contains("Invalid configuration: database.username may not write users, "
					+ "revoked_tokens, rate_limit_buckets: grant the role INSERT, UPDATE and DELETE on the service's tables");
		}
		finally {
			this.database.executeInDatabase("DROP OWNED BY " + role, "DROP ROLE " + role);
		}
	}

	/**
	 * A database that takes no writes (a standby named by mistake, a read-only switch)
	 * cannot take the migrations of a first start: one line says so, instead of Flyway's
	 * hundred.
	 */
	@Test
	void startWhenDatabaseReadOnlyBeforeMigrationsThenFailsNamingReadOnly(CapturedOutput output) {
		try (PostgresTestDatabase empty = PostgresTestDatabase.create("read_only_empty")) {
			empty.defaultReadOnly(true);
			assertThatThrownBy(() -> startAnother("empty", empty.url(), empty.username()).close()).isNotNull();
		}
		assertThat(output.getAll()).contains("The database takes no writes (SQLSTATE 25006)")
			.contains("targetServerType=primary")
			.doesNotContain("\tat org.flywaydb");
	}

	/**
	 * Once migrated, a database that takes no writes for now (a failover under way) lets
	 * the service start with a warning and serve token checks; writes get 503 until it
	 * takes them again.
	 */
	@Test
	void startWhenDatabaseReadOnlyAfterMigrationsThenWarnsAndChecksTokens(CapturedOutput output) {
		String username = TestUsers.registered(this.api, "standby");
		String token = this.api.tokenFor(username, TestUsers.PASSWORD);
		this.database.defaultReadOnly(true);
		try (ConfigurableApplicationContext standby = startAnother("standby", this.database.url(),
				this.database.username(), "--password.bcrypt_cost=4")) {
			Api standbyApi = new Api(Integer.parseInt(standby.getEnvironment().getProperty("local.server.port")));

			assertThat(output.getAll()).contains("The database takes no writes now");
			assertThat(standbyApi.get("/token_status/" + token).status()).as("token check").isEqualTo(200);
			String refused = TestUsers.uniqueName("refused");
			assertThat(standbyApi.register(refused, TestUsers.PASSWORD, TestUsers.emailOf(refused)).status())
				.as("registration")
				.isEqualTo(503);
		}
		finally {
			this.database.defaultReadOnly(false);
		}
	}

	/**
	 * A statement held up by a lock ends at the server's statement timeout, just before
	 * the driver's socket timeout: the database was reached, so the address and password
	 * are not the thing to check.
	 */
	@Test
	void startWhenTableLockedLongerThanTimeoutThenFailsNamingTheTimeout(CapturedOutput output) throws SQLException {
		try (Connection locker = DriverManager.getConnection(this.database.url(), this.database.username(), "")) {
			locker.setAutoCommit(false);
			locker.createStatement().execute("LOCK TABLE users IN ACCESS EXCLUSIVE MODE");
			assertThatThrownBy(() -> startAnother("locked", this.database.url(), this.database.username(),
					"--database.connection_timeout=1s")
				.close()).isNotNull();
			locker.rollback();
		}
		assertThat(output.getAll())
			.contains(
					"The database did not answer a statement within " + "database.connection_timeout (SQLSTATE 57014)")
			.doesNotContain("Cannot connect to the database");
	}

	/**
	 * A server whose network swallows everything (a firewall dropping packets): the
	 * connection is never made, so the address is the thing to check, not a lock.
	 */
	@Test
	void startWhenServerNeverAnswersThenFailsNamingTheConnection(CapturedOutput output) {
		Matcher url = Pattern.compile("jdbc:postgresql://([^:/]+)(?::(\\d+))?/(.*)").matcher(this.database.url());
		assertThat(url.matches()).isTrue();
		try (TcpProxy proxy = TcpProxy.to(url.group(1),
				(url.group(2) != null) ? Integer.parseInt(url.group(2)) : 5432)) {
			proxy.blackhole();
			assertThatThrownBy(
					() -> startAnother("blackhole", "jdbc:postgresql://127.0.0.1:" + proxy.port() + "/" + url.group(3),
							this.database.username(), "--database.connection_timeout=1s")
						.close())
				.isNotNull();
		}
		assertThat(output.getAll()).contains("Cannot connect to the database: ")
			.contains("(SQLSTATE 08001)")
			.doesNotContain("did not answer a statement");
	}

	/**
	 * Between dropping the tables and restoring a backup, the database answers but has
	 * nothing to answer with: every request gets the 503 of an outage, and the service
	 * serves again once the tables are back, without a restart.
	 */
	@Test
	void requestsWhenTablesMissingThen503AndServedAgainOnceRestored() throws InterruptedException {
		String username = TestUsers.registered(this.api, "restore");
		String token = this.api.tokenFor(username, TestUsers.PASSWORD);
		this.database.executeInDatabase("ALTER TABLE users RENAME TO users_restoring");
		// Past the half second for which token checks remember the database's answer.
		Thread.sleep(600);
		try {
			assertThat(this.api.tokenStatus(token).status()).as("GET /token_status/{token}").isEqualTo(503);
			assertThat(this.api.withToken("GET", "/me", token).status()).as("GET /me").isEqualTo(503);
			assertThat(this.api.token(username, TestUsers.PASSWORD).status()).as("POST /token").isEqualTo(503);
			String late = TestUsers.uniqueName("late");
			assertThat(this.api.register(late, TestUsers.PASSWORD, TestUsers.emailOf(late)).status())
				.as("POST /register-user")
				.isEqualTo(503);
		}
		finally {
			this.database.executeInDatabase("ALTER TABLE users_restoring RENAME TO users");
		}
		assertThat(this.api.withToken("GET", "/me", token).status()).isEqualTo(200);
	}

	/**
	 * A connection used within the last half second is handed out unchecked, so a login
	 * right after the server ended the sessions runs on a dead one.
	 */
	@Test
	void loginWhenServerEndedPooledConnectionsThen503NeverA500() {
		String username = TestUsers.registered(this.api, "ended");
		List<Integer> statuses = new ArrayList<>();
		for (int round = 0; round < 10; round++) {
			statuses.add(this.api.token(username, TestUsers.PASSWORD).status());
			this.database.terminateConnections();
			statuses.add(this.api.token(username, TestUsers.PASSWORD).status());
			statuses.add(this.api.token(username, TestUsers.PASSWORD).status());
		}

		assertThat(statuses).as("statuses of logins around 10 ends of every session")
			.containsOnly(200, 503)
			.contains(200);
	}

	/** Another instance, on a data directory of its own. */
	private ConfigurableApplicationContext startAnother(String name, String url, String username, String... settings) {
		List<String> args = new ArrayList<>(List.of("--server.port=0", "--data.dir=" + this.dir.resolve(name),
				"--config.file=/dev/null", "--database.url=" + url, "--database.username=" + username,
				"--jwt.secret=postgres-connection-secret-long-enough-for-hs256"));
		args.addAll(List.of(settings));
		return SpringApplication.run(TokenServiceApplication.class, args.toArray(String[]::new));
	}

}
