package dev.tokenservice.web;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import dev.tokenservice.TokenServiceApplication;
import dev.tokenservice.support.Api;
import dev.tokenservice.support.Concurrently;
import dev.tokenservice.support.PostgresTestDatabase;
import dev.tokenservice.support.Reply;
import dev.tokenservice.support.TcpProxy;
import dev.tokenservice.support.TestUsers;
import dev.tokenservice.token.TokenRevocations;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.scheduling.TaskScheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A PostgreSQL outage, made by cutting a {@link TcpProxy} between the service and the
 * server (never by stopping the shared server): requests that need the database get a 503
 * JSON within the connection timeout instead of hanging, readiness turns DOWN while
 * liveness stays UP, and once the database is back the service recovers by itself. The
 * time of every answer is printed after each test.
 */
@ExtendWith(OutputCaptureExtension.class)
class DatabaseOutageTests {

	private static final Duration CONNECTION_TIMEOUT = Duration.ofSeconds(2);

	/** The connection timeout plus room for a slow machine: longer counts as hanging. */
	private static final Duration ANSWER_WITHIN = CONNECTION_TIMEOUT.plusSeconds(3);

	/**
	 * Requests are abandoned after this, so a hanging one fails the test, not the build.
	 */
	private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(10);

	private static final Duration RECOVERY_WITHIN = Duration.ofSeconds(30);

	/** The service's default {@code database.pool_size}. */
	private static final int DEFAULT_POOL_SIZE = 10;

	private static final Pattern POSTGRES_URL = Pattern.compile("jdbc:postgresql://([^:/]+)(?::(\\d+))?/(.*)");

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	@TempDir
	Path dir;

	private PostgresTestDatabase database;

	private TcpProxy proxy;

	private ConfigurableApplicationContext context;

	private Api api;

	private final List<String> timings = new ArrayList<>();

	private CapturedOutput output;

	@BeforeEach
	void startBehindProxy(CapturedOutput output) {
		this.output = output;
		this.database = PostgresTestDatabase.create("outage");
		Matcher url = POSTGRES_URL.matcher(this.database.url());
		assertThat(url.matches()).as(this.database.url()).isTrue();
		int port = (url.group(2) != null) ? Integer.parseInt(url.group(2)) : 5432;
		this.proxy = TcpProxy.to(url.group(1), port);
		this.context = SpringApplication.run(TokenServiceApplication.class, "--server.port=0",
				"--data.dir=" + this.dir.resolve("data"), "--config.file=/dev/null",
				"--database.url=jdbc:postgresql://127.0.0.1:" + this.proxy.port() + "/" + url.group(3),
				"--database.username=" + this.database.username(),
				"--database.connection_timeout=" + CONNECTION_TIMEOUT.toMillis() + "ms",
				"--jwt.secret=database-outage-secret-long-enough-for-hs256", "--password.bcrypt_cost=4");
		this.api = new Api(Integer.parseInt(this.context.getEnvironment().getProperty("local.server.port")));
	}

	@AfterEach
	void stop() {
		System.out.println("Database outage timings: " + String.join("; ", this.timings));
		if (this.proxy != null) {
			this.proxy.restore();
		}
		if (this.context != null) {
			this.context.close();
		}
		if (this.proxy != null) {
			this.proxy.close();
		}
		if (this.database != null) {
			this.database.close();
		}
	}

	/** The server stopped or restarting: every connection drops, new ones are refused. */
	@Test
	void outageWhenDatabaseRefusesConnectionsThen503AndRecoveryWithoutRestart() throws Exception {
		outageThenRecovery(this.proxy::refuse);
	}

	/**
	 * A network partition: connections stay open but nothing comes back, so only the
	 * driver's own timeouts can end a query already sent on a pooled connection.
	 */
	@Test
	void outageWhenDatabaseBlackholedThen503AndRecoveryWithoutRestart() throws Exception {
		outageThenRecovery(this.proxy::blackhole);
	}

	/**
	 * A lock held in the database (a migration, an administrator's transaction): each
	 * request that needs the table gets its 503 within the timeout, and the server ends
	 * the waiting statement too. Otherwise every timed-out connection is replaced while
	 * its session waits on, until one lock holds every connection the server has.
	 */
	@Test
	void lockWhenTableLockedThen503AndNoSessionLeftWaiting() throws Exception {
		String token = this.api.tokenFor(TestUsers.registered(this.api, "locked"), TestUsers.PASSWORD);
		try (Connection holder = DriverManager.getConnection(this.database.url(), this.database.username(), "")) {
			holder.setAutoCommit(false);
			holder.createStatement().execute("LOCK TABLE users IN ACCESS EXCLUSIVE MODE");
			SoftAssertions locked = new SoftAssertions();
			for (int round = 0; round < 2; round++) {
				assertCrowdUnavailable(locked, DEFAULT_POOL_SIZE,
						request("/me").header("Authorization", "Bearer " + token).build());
			}
			locked.assertThat(sessionsWaitingForLock(holder)).as("sessions still waiting for the lock").isZero();
			locked.assertAll();
			holder.rollback();
		}
		assertThat(this.api.withToken("GET", "/me", token).status()).as("after the lock").isEqualTo(200);
	}

	/**
	 * An administrator ends the session of a registration waiting for a lock (what a
	 * plain CREATE INDEX takes: reads go on, writes wait): the pool closes the
	 * connection, the rollback then fails on it too, and that is still the database's
	 * 503.
	 */
	@Test
	void writeWhenSessionEndedWhileWaitingForLockThen503() throws Exception {
		try (Connection holder = DriverManager.getConnection(this.database.url(), this.database.username(), "")) {
			holder.setAutoCommit(false);
			holder.createStatement().execute("LOCK TABLE users IN SHARE MODE");
			String newcomer = TestUsers.uniqueName("during-lock");
			HttpRequest registration = postJson("/register-user",
					Map.of("username", newcomer, "password", TestUsers.PASSWORD, "email", TestUsers.emailOf(newcomer)));
			CompletableFuture<Reply> reply = CompletableFuture.supplyAsync(() -> {
				try {
					return send(registration);
				}
				catch (IOException ex) {
					throw new UncheckedIOException(ex);
				}
			});
			int start = this.output.getAll().length();
			endSessionWaitingForLock(holder);
			SoftAssertions ended = new SoftAssertions();
			Reply answer = reply.get(CLIENT_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
			ended.assertThat(answer.status()).as("POST /register-user: %s", answer).isEqualTo(503);
			ended.assertThat(answer.header("Retry-After")).isPresent();
			ended.assertThat(this.output.getAll().substring(start))
				.as("the log")
				.doesNotContain("\tat ")
				.doesNotContain("terminating connection due to administrator command");
			ended.assertAll();
			holder.rollback();
		}
	}

	private static void endSessionWaitingForLock(Connection holder) throws SQLException, InterruptedException {
		for (int attempt = 0; attempt < 50; attempt++) {
			try (Statement statement = holder.createStatement();
					ResultSet result = statement.executeQuery("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
							+ " WHERE datname = current_database() AND wait_event_type = 'Lock'")) {
				if (result.next()) {
					return;
				}
			}
			Thread.sleep(20);
		}
		throw new IllegalStateException("no session waited for the lock");
	}

	/**
	 * A database that takes no writes for now (a replica promoted late, an
	 * administrator's read-only switch) is unavailable, not the service's own failure;
	 * and once it takes writes again the service writes again by itself, though every
	 * pooled session was opened read-only (as sessions left on the old primary after a
	 * failover, which the pool would otherwise keep for their whole lifetime).
	 */
	@Test
	void writeWhenDatabaseReadOnlyThen503AndWritesAgainOnceWritable() throws Exception {
		String token = this.api.tokenFor(TestUsers.registered(this.api, "read-only"), TestUsers.PASSWORD);
		this.database.defaultReadOnly(true);
		HikariDataSource pool = this.context.getBean(HikariDataSource.class);
		// New sessions take the setting.
		pool.getHikariPoolMXBean().softEvictConnections();
		SoftAssertions readOnly = new SoftAssertions();
		assertUnavailable(readOnly, "POST /revoke",
				post("/revoke", "application/x-www-form-urlencoded", Api.form(Map.of("token", token))));
		readOnly.assertAll();
		await().atMost(ANSWER_WITHIN)
			.until(() -> pool.getHikariPoolMXBean().getTotalConnections() == DEFAULT_POOL_SIZE);

		this.database.defaultReadOnly(false);
		Instant writable = Instant.now();
		List<Integer> statuses = new ArrayList<>();
		await().atMost(RECOVERY_WITHIN).pollInterval(Duration.ofMillis(50)).until(() -> {
			statuses.add(this.api.postForm("/revoke", Api.form(Map.of("token", token))).status());
			return statuses.get(statuses.size() - 1) == 200;
		});
		Duration recovery = Duration.between(writable, Instant.now());
		this.timings.add("POST /revoke 200 " + recovery.toMillis() + " ms after the database took writes again, after "
				+ (statuses.size() - 1) + " 503s");
		assertThat(recovery).as("writing again after %s", statuses).isLessThan(ANSWER_WITHIN);
		assertThat(statuses).containsOnly(503, 200);
		assertThat(this.output.getAll()).as("the log").doesNotContain("\tat ");
	}

	/**
	 * A session frozen mid-transaction (its network gone without a word) is ended by the
	 * server with its locks, well before the system's TCP timeouts would.
	 */
	@Test
	void sessionsWhenPostgresqlThenServerEndsIdleTransactionsAndLostClients() throws Exception {
		try (Connection connection = this.context.getBean(DataSource.class).getConnection();
				Statement statement = connection.createStatement()) {
			assertThat(setting(statement, "statement_timeout")).isEqualTo("1500ms");
			assertThat(setting(statement, "idle_in_transaction_session_timeout")).isEqualTo("4s");
			assertThat(setting(statement, "tcp_keepalives_idle")).isEqualTo("30");
		}
	}

	private static String setting(Statement statement, String name) throws SQLException {
		try (ResultSet result = statement.executeQuery("SHOW " + name)) {
			result.next();
			return result.getString(1);
		}
	}

	private int sessionsWaitingForLock(Connection holder) throws SQLException, InterruptedException {
		int waiting = -1;
		for (int attempt = 0; attempt < 20 && waiting != 0; attempt++) {
			try (Statement statement = holder.createStatement();
					ResultSet result = statement.executeQuery("SELECT count(*) FROM pg_stat_activity"
							+ " WHERE datname = current_database() AND wait_event_type = 'Lock'")) {
				result.next();
				waiting = result.getInt(1);
			}
			Thread.sleep(100);
		}
		return waiting;
	}

	/**
	 * A database that ends its sessions and then goes away must not flood the log: each
	 * broken connection and each failed readiness probe logs at most one line, with no
	 * stack trace and none of the driver's messages (which may quote values), while each
	 * failed request keeps its own line and readiness says once that it went down and
	 * once that it is back.
	 */
	@Test
	void logWhenSessionsEndedThenDatabaseRefusedThenAtMostOneLinePerProbeAndNoTraces() throws Exception {
		String username = TestUsers.registered(this.api, "quiet");
		String token = this.api.tokenFor(username, TestUsers.PASSWORD);
		int start = this.output.getAll().length();
		int rounds = 5;
		int requestsPerRound = 3;
		for (int round = 0; round < rounds; round++) {
			this.database.terminateConnections();
			this.api.token(username, TestUsers.PASSWORD);
			this.api.withToken("GET", "/me", token);
			this.api.get("/actuator/health/readiness");
		}
		String churn = this.output.getAll().substring(start);
		Reply readyBetween = awaitReady();

		this.proxy.refuse();
		int outageStart = this.output.getAll().length();
		int probes = 5;
		List<Integer> probeStatuses = new ArrayList<>();
		for (int probe = 0; probe < probes; probe++) {
			probeStatuses.add(send(get("/actuator/health/readiness")).status());
		}
		String probing = this.output.getAll().substring(outageStart);
		List<Integer> requestStatuses = List.of(this.api.token(username, TestUsers.PASSWORD).status(),
				this.api.withToken("GET", "/me", token).status());
		this.proxy.restore();
		Reply ready = awaitReady();
		String outage = this.output.getAll().substring(outageStart);
		String log = this.output.getAll().substring(start);

		assertThat(readyBetween.status()).as("readiness after the sessions ended: %s", readyBetween).isEqualTo(200);
		assertThat(probeStatuses).as("readiness during the outage").containsOnly(503);
		assertThat(requestStatuses).as("requests during the outage").containsOnly(503);
		assertThat(ready.status()).as("readiness after the outage: %s", ready).isEqualTo(200);
		assertThat(log).as("the log from the first ended session to recovery")
			.doesNotContain("\tat ")
			.doesNotContain("Caused by")
			// The driver's messages for an ended session, a refused connection and a
			// closed one.
			.doesNotContain("terminating connection due to administrator command")
			.doesNotContain("Check that the hostname and port are correct")
			.doesNotContain("This connection has been closed")
			.doesNotContain("An I/O error occurred");
		assertThat(churn.lines().count()).as("lines while sessions were ended:\n%s", churn)
			.isLessThanOrEqualTo(rounds * (requestsPerRound + DEFAULT_POOL_SIZE));
		assertThat(probing.lines().count()).as("lines during %s failed readiness probes:\n%s", probes, probing)
			.isLessThanOrEqualTo(probes);
		assertThat(outage.lines().filter((line) -> line.contains("Database unavailable: ")))
			.as("lines of the failed requests:\n%s", outage)
			.hasSameSizeAs(requestStatuses);
		assertThat(outage.lines().filter((line) -> line.contains("Database unavailable for readiness: ")))
			.as("lines saying readiness is down:\n%s", outage)
			.hasSize(1);
		assertThat(outage).contains("Database available again for readiness");
	}

	private void outageThenRecovery(Runnable cut) throws Exception {
		String username = TestUsers.registered(this.api, "outage");
		String token = this.api.tokenFor(username, TestUsers.PASSWORD);
		// Checked only during the outage: a check's answer is remembered for a second.
		String unchecked = this.api.tokenFor(username, TestUsers.PASSWORD);
		String crowded = this.api.tokenFor(username, TestUsers.PASSWORD);
		assertThat(this.api.tokenStatus(token).status()).isEqualTo(200);

		cut.run();

		String newcomer = TestUsers.uniqueName("during-outage");
		SoftAssertions outage = new SoftAssertions();
		assertUnavailable(outage, "POST /register-user", postJson("/register-user",
				Map.of("username", newcomer, "password", TestUsers.PASSWORD, "email", TestUsers.emailOf(newcomer))));
		assertUnavailable(outage, "POST /token",
				postJson("/token", Map.of("username", username, "password", TestUsers.PASSWORD)));
		assertUnavailable(outage, "POST /token (form)", post("/token", "application/x-www-form-urlencoded",
				Api.form(Map.of("grant_type", "password", "username", username, "password", TestUsers.PASSWORD))));
		assertUnavailable(outage, "GET /token_status", get("/token_status/" + unchecked));
		assertCrowdUnavailable(outage, 8, get("/token_status/" + crowded));
		// A bearer token is verified before any endpoint is chosen.
		assertUnavailable(outage, "GET /me (Bearer)",
				request("/me").header("Authorization", "Bearer " + token).build());
		Reply readiness = timed(outage, "GET readiness", get("/actuator/health/readiness"));
		outage.assertThat(readiness.status()).as("readiness %s", readiness).isEqualTo(503);
		outage.assertThat(readiness.body()).as("readiness").contains("\"status\":\"DOWN\"");
		Reply liveness = timed(outage, "GET liveness", get("/actuator/health/liveness"));
		outage.assertThat(liveness.status()).as("liveness %s", liveness).isEqualTo(200);
		outage.assertThat(liveness.body()).as("liveness").contains("\"status\":\"UP\"");
		outage.assertThat(requestThreadsInDatabaseCode())
			.as("request threads still waiting for the database")
			.isEmpty();
		outage.assertThat(scheduledPurgeLogLine())
			.as("the log line of the scheduled purge of revocation records")
			.startsWith("A scheduled job could not use the database (it runs again later): ");

		this.proxy.restore();

		Instant restored = Instant.now();
		Reply ready = awaitReady();
		this.timings.add("readiness " + ready.status() + " after "
				+ Duration.between(restored, Instant.now()).toMillis() + " ms");
		outage.assertThat(ready.status())
			.as("readiness within %s of the restore: %s", RECOVERY_WITHIN, ready)
			.isEqualTo(200);
		outage.assertThat(this.api.tokenStatus(token).status()).as("token status after the outage").isEqualTo(200);
		outage.assertThat(this.api.token(username, TestUsers.PASSWORD).status())
			.as("login after the outage")
			.isEqualTo(200);
		String afterwards = TestUsers.uniqueName("after-outage");
		outage.assertThat(this.api.register(afterwards, TestUsers.PASSWORD, TestUsers.emailOf(afterwards)).status())
			.as("registration after the outage")
			.isEqualTo(201);
		outage.assertThat(this.api.token(afterwards, TestUsers.PASSWORD).status())
			.as("login of the new user")
			.isEqualTo(200);
		outage.assertAll();
	}

	/** API.md: a database outage is a 503 with the fixed message and the request id. */
	private void assertUnavailable(SoftAssertions outage, String what, HttpRequest request) {
		Reply reply = timed(outage, what, request);
		outage.assertThat(reply.status()).as("%s: %s", what, reply).isEqualTo(503);
		if (reply.status() == 503) {
			outage.assertThat(reply.isJson()).as(what).isTrue();
			outage.assertThat(reply.body())
				.as(what)
				.contains("\"message\":\"Service temporarily unavailable\"")
				.contains("\"request_id\":\"" + reply.header("X-Request-Id").orElse("(none)") + "\"");
			outage.assertThat(reply.header("Retry-After")).as(what).isPresent();
		}
	}

	/**
	 * The same request from many clients at once: each gets its 503 within the timeout.
	 * (Checks of one token once waited for each other, the n-th for n timeouts, and a
	 * crowd of them held every request thread.)
	 */
	private void assertCrowdUnavailable(SoftAssertions outage, int clients, HttpRequest request) throws Exception {
		Instant start = Instant.now();
		List<Reply> replies = Concurrently.send(clients, (client) -> {
			try {
				return send(request);
			}
			catch (IOException ex) {
				return new Reply(0, HttpHeaders.of(Map.of(), (name, value) -> true), "no answer: " + ex);
			}
		});
		Duration took = Duration.between(start, Instant.now());
		String what = clients + " x " + request.method() + " " + request.uri().getPath().replaceAll("[^/]+$", "{token}")
				+ " at once";
		this.timings.add(what + " " + replies.stream().map(Reply::status).toList() + " in " + took.toMillis() + " ms");
		outage.assertThat(replies).extracting(Reply::status).as(what).containsOnly(503);
		outage.assertThat(took).as(what).isLessThan(ANSWER_WITHIN);
	}

	/**
	 * Sends the request and checks that it was answered in time; a request that got no
	 * answer at all counts as status 0.
	 */
	private Reply timed(SoftAssertions outage, String what, HttpRequest request) {
		Instant start = Instant.now();
		Reply reply;
		try {
			reply = send(request);
		}
		catch (IOException ex) {
			reply = new Reply(0, HttpHeaders.of(Map.of(), (name, value) -> true), "no answer: " + ex);
		}
		Duration took = Duration.between(start, Instant.now());
		this.timings.add(what + " " + reply.status() + " in " + took.toMillis() + " ms");
		outage.assertThat(took).as("%s answered %s", what, reply).isLessThan(ANSWER_WITHIN);
		return reply;
	}

	/**
	 * Runs the purge of expired revocation records on the service's scheduler, as its
	 * schedule does every 10 minutes, and returns the line its failure was logged with.
	 */
	private String scheduledPurgeLogLine() throws Exception {
		TaskScheduler scheduler = this.context.getBean(TaskScheduler.class);
		TokenRevocations revocations = this.context.getBean(TokenRevocations.class);
		String before = this.output.getAll();
		scheduler.schedule(revocations::purgeExpired, Instant.now()).get(CLIENT_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		return this.output.getAll()
			.substring(before.length())
			.lines()
			.filter((line) -> line.contains("ScheduledTaskErrors") || line.contains("scheduled task"))
			.map((line) -> line.substring(line.indexOf(": ") + 2))
			.findFirst()
			.orElse("(no line)");
	}

	/** Polls readiness until it is UP or the recovery time is over; the last answer. */
	private Reply awaitReady() throws IOException, InterruptedException {
		Instant deadline = Instant.now().plus(RECOVERY_WITHIN);
		Reply readiness = send(get("/actuator/health/readiness"));
		while (readiness.status() != 200 && Instant.now().isBefore(deadline)) {
			Thread.sleep(250);
			readiness = send(get("/actuator/health/readiness"));
		}
		return readiness;
	}

	/**
	 * Tomcat's request threads and the hashing threads (logins) whose stack is inside the
	 * pool or the driver.
	 */
	private static List<String> requestThreadsInDatabaseCode() throws InterruptedException {
		List<String> stuck = List.of();
		for (int attempt = 0; attempt < 20; attempt++) {
			stuck = Thread.getAllStackTraces()
				.entrySet()
				.stream()
				.filter((entry) -> entry.getKey().getName().startsWith("http-nio-")
						|| entry.getKey().getName().startsWith("hashing-"))
				.filter((entry) -> Arrays.stream(entry.getValue())
					.anyMatch((frame) -> frame.getClassName().startsWith("org.postgresql.")
							|| frame.getClassName().startsWith("com.zaxxer.hikari.")))
				.map((entry) -> entry.getKey().getName() + " at "
						+ Arrays.stream(entry.getValue())
							.limit(80)
							.map(StackTraceElement::toString)
							.collect(Collectors.joining(" <- ")))
				.toList();
			if (stuck.isEmpty()) {
				return stuck;
			}
			Thread.sleep(100);
		}
		return stuck;
	}

	private Reply send(HttpRequest request) throws IOException {
		try {
			HttpResponse<String> response = this.http.send(request, BodyHandlers.ofString());
			return new Reply(response.statusCode(), response.headers(), response.body());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private HttpRequest get(String path) {
		return request(path).GET().build();
	}

	private HttpRequest postJson(String path, Map<String, String> body) {
		return post(path, "application/json", JSON.writeValueAsString(body));
	}

	private HttpRequest post(String path, String contentType, String body) {
		return request(path).header("Content-Type", contentType).POST(BodyPublishers.ofString(body)).build();
	}

	private HttpRequest.Builder request(String path) {
		return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.api.port() + path)).timeout(CLIENT_TIMEOUT);
	}

}
