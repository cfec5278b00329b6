package dev.tokenservice.web;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.tokenservice.TokenServiceApplication;
import dev.tokenservice.support.Api;
import dev.tokenservice.support.Reply;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggerConfiguration;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Captures everything the service prints during a full walk-through over HTTP, with DEBUG
 * logging, TRACE for Hibernate's bound values and the access log on, and searches it for
 * the secret, every password, every token and every password hash, as it does every value
 * of every Micrometer observation the service makes. The {@code access} and {@code audit}
 * loggers must say what happened without any of them.
 */
@ExtendWith(OutputCaptureExtension.class)
class LogSafetyTests {

	private static final String SECRET = "log-safety-jwt-secret-Quokka-Zephyr-7719-must-never-be-printed";

	private static final String ADMIN = "log-admin";

	private static final String ADMIN_PASSWORD = "Admin-Heron-5527-Basalt";

	private static final String CLIENT_ID = "log-resource-server";

	private static final String CLIENT_SECRET = "Introspect-Marble-8812-Secret";

	private static final String USER = "log-user";

	private static final String PASSWORD = "First-Orchard-4471-Quill";

	private static final String NEW_PASSWORD = "Second-Harbor-9023-Lantern";

	private static final String WRONG_PASSWORD = "Wrong-Meadow-3318-Cobalt";

	private static final String OTHER_USER = "log-other";

	private static final String OTHER_PASSWORD = "Other-Willow-6642-Slate";

	/**
	 * A name no account has: often a password typed in the username field, so never
	 * logged.
	 */
	private static final String GHOST = "swapped-field-secret-6120";

	/** A user whose password is guessed at until the limit refuses more guesses. */
	private static final String GUESSED = "log-guessed";

	private static final String GHOST_PASSWORD = "Ghost-Quarry-2285-Fern";

	/**
	 * Malformed requests carry passwords too: unquoted in broken JSON (parsers quote the
	 * bad token in their messages), badly percent-encoded in a form (Tomcat quotes the
	 * value it could not decode) and in a query string (where RFC 6749 forbids them).
	 */
	private static final String UNQUOTED_PASSWORD = "UnquotedPassword7731Zephyr";

	private static final String BAD_PERCENT_PASSWORD = "Percent-Secret-4410-Flint";

	private static final String QUERY_PASSWORD = "Query-Secret-5093-Birch";

	private static final String COOKIE_PASSWORD = "Cookie-Secret-7706-Alder";

	/** Failed logins of one username from one address before 429. */
	private static final int FAILED_LOGIN_LIMIT = 3;

	private static final Pattern ACCESS_LINE = Pattern.compile(" access\\s+: (.*)$");

	/** Level and logger of a line in Spring Boot's default console format. */
	private static final Pattern SOURCE = Pattern
		.compile("^\\S+\\s+([A-Z]+) \\d+ --- \\[[^]]*] \\[[^]]*] \\[[^]]*] (\\S+)\\s+: ");

	private static final Pattern AUDIT_LINE = Pattern.compile(" audit\\s+: (.*)$");

	@TempDir
	static Path dir;

	/** Everything printed from start-up to shutdown. */
	private static String log;

	private static final Map<String, String> secrets = new LinkedHashMap<>();

	private static final Map<String, Long> ids = new LinkedHashMap<>();

	private static final List<String> hashes = new ArrayList<>();

	/** Every key value of every observation the service made, as "name key=value". */
	private static final List<String> observed = new CopyOnWriteArrayList<>();

	@BeforeAll
	static void walkThrough(CapturedOutput output) {
		LoggingSystem logging = LoggingSystem.get(LogSafetyTests.class.getClassLoader());
		List<LoggerConfiguration> levelsBefore = logging.getLoggerConfigurations();
		try (ConfigurableApplicationContext context = start()) {
			context.getBean(ObservationRegistry.class).observationConfig().observationHandler(new Recorder());
			Api api = new Api(Integer.parseInt(context.getEnvironment().getProperty("local.server.port")));
			walkThrough(api);
			JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
			hashes.addAll(jdbc.queryForList("select password_hash from users", String.class));
			assertThat(hashes).as("password hashes in the database").isNotEmpty().allMatch((h) -> h.startsWith("$2"));
		}
		finally {
			restore(logging, levelsBefore);
		}
		log = output.getAll();
	}

	/** What an operator sees with the default levels: INFO, WARN and ERROR. */
	@Test
	void logsWhenFullWalkThroughThenNoSecretPasswordTokenOrHashAtInfoOrAbove() {
		List<String> lines = lines(Set.of("INFO", "WARN", "ERROR"));

		assertThat(lines).as("INFO lines captured").hasSizeGreaterThan(50);
		assertThat(leaks(lines)).as("secrets in INFO, WARN and ERROR lines").isEmpty();
	}

	/**
	 * "At any level": TRACE everywhere, and asked for by name where the service holds a
	 * logger back (Hibernate's bound and extracted values would print hashes).
	 */
	@Test
	void logsWhenFullWalkThroughAtDebugAndTraceThenNoSecretPasswordTokenOrHash() {
		List<String> lines = log.lines().toList();

		assertThat(lines(Set.of("DEBUG"))).as("DEBUG lines captured").hasSizeGreaterThan(1000);
		assertThat(lines(Set.of("TRACE"))).as("TRACE lines captured").hasSizeGreaterThan(1000);
		assertThat(lines).as("Hibernate parameter lines").noneMatch((line) -> line.contains("jdbc.bind"));
		List<String> leaks = leaks(lines);
		assertThat(leaks).as("secrets in the log:\n" + String.join("\n", leaks)).isEmpty();
	}

	/**
	 * Nothing exports observations' high-cardinality values today, but a tracing bridge
	 * would: the path-form token check must be known by its route, never its URL.
	 */
	@Test
	void observationsWhenFullWalkThroughThenRoutesButNoSecretPasswordTokenOrHash() {
		assertThat(observed).contains("http.server.requests uri=/token_status/{*token}",
				"http.server.requests uri=/token");
		List<String> leaks = leaks(observed);
		assertThat(leaks).as("secrets in observations:\n" + String.join("\n", leaks)).isEmpty();
	}

	@Test
	void accessLogWhenEnabledThenOneLinePerRequestWithTokenMaskedAndNoQuery() {
		List<String> lines = messages(ACCESS_LINE);

		assertThat(lines).anyMatch((line) -> line.matches("127\\.0\\.0\\.1 \"POST /register-user\" 201 \\d+ms"))
			.anyMatch((line) -> line.matches("127\\.0\\.0\\.1 \"POST /token\" 200 \\d+ms"))
			.anyMatch((line) -> line.matches("127\\.0\\.0\\.1 \"POST /token\" 401 \\d+ms"))
			.anyMatch((line) -> line.matches("127\\.0\\.0\\.1 \"POST /token\" 429 \\d+ms"))
			.anyMatch((line) -> line.matches("127\\.0\\.0\\.1 \"GET /token_status/\\[token\\]\" 200 \\d+ms"))
			.anyMatch((line) -> line.matches("127\\.0\\.0\\.1 \"GET /token_status/\\[token\\]\" 401 \\d+ms"))
			.anyMatch((line) -> line.matches("127\\.0\\.0\\.1 \"GET /token_status\" 200 \\d+ms"))
			.anyMatch((line) -> line.matches("127\\.0\\.0\\.1 \"GET /me\" 200 \\d+ms"))
			.anyMatch((line) -> line.matches("127\\.0\\.0\\.1 \"POST /change-password\" 200 \\d+ms"))
			.anyMatch((line) -> line.matches("127\\.0\\.0\\.1 \"POST /logout-all\" 200 \\d+ms"))
			.anyMatch((line) -> line.matches("127\\.0\\.0\\.1 \"PUT /toggle-user-permission/\\d+/0\" 200 \\d+ms"))
			.anyMatch((line) -> line.matches("127\\.0\\.0\\.1 \"DELETE /remove-user/\\d+\" 200 \\d+ms"))
			.anyMatch((line) -> line.matches("127\\.0\\.0\\.1 \"POST /revoke\" 200 \\d+ms"))
			.anyMatch((line) -> line.matches("127\\.0\\.0\\.1 \"POST /introspect\" 200 \\d+ms"))
			.anyMatch((line) -> line.matches("127\\.0\\.0\\.1 \"POST /register-user\" 400 \\d+ms"))
			.anyMatch((line) -> line.matches("127\\.0\\.0\\.1 \"GET /token-status/\\[token\\]\" 404 \\d+ms"));
		assertThat(lines).as("no query string").noneMatch((line) -> line.contains("?"));
		assertThat(lines).as("the token path segment is masked")
			.filteredOn((line) -> line.contains("/token_status/"))
			.allMatch((line) -> line.contains("/token_status/[token]\""));
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|',
			textBlock = """
					registered                     | event=registered user_id={user} username=log-user client=127.0.0.1
					login_failed (wrong password)  | event=login_failed username=log-user client=127.0.0.1 reason=wrong_password
					login_failed (unknown user)    | event=login_failed username=(unknown) client=127.0.0.1 reason=unknown_user
					login_failed (disabled)        | event=login_failed username=log-user client=127.0.0.1 reason=disabled
					login_succeeded                | event=login_succeeded user_id={user} username=log-user client=127.0.0.1
					login_succeeded (admin)        | event=login_succeeded user_id={admin} username=log-admin client=127.0.0.1
					password changed               | event=account_changed change=password_changed user_id={user}
					logged out everywhere          | event=account_changed change=logged_out_everywhere user_id={user}
					admin deletes a user           | event=admin_action action=delete_user admin_id={admin} target_user_id={other}
					admin logs a user out          | event=admin_action action=log_out_user_everywhere admin_id={admin} target_user_id={user}
					token revoked                  | event=token_revoked caller_id={user} token_user_id={user}
					throttled (unknown user)       | event=throttled limit=failed_logins_per_user_and_address username=(unknown) client=127.0.0.1 retry_after_s=
					throttled                      | event=throttled limit=failed_logins_per_user_and_address username=log-guessed client=127.0.0.1 retry_after_s=
					""")
	void auditLogWhenWalkThroughThenEventLineWithKeyValueFields(String event, String expected) {
		String line = expected.replace("{user}", ids.get(USER).toString())
			.replace("{admin}", ids.get(ADMIN).toString())
			.replace("{other}", ids.get(OTHER_USER).toString());

		assertThat(messages(AUDIT_LINE)).as(event).anyMatch((message) -> message.startsWith(line));
	}

	/** Disabling and enabling an account are admin actions like deleting one. */
	@Test
	void auditLogWhenAdminTogglesUserThenAdminActionForEachToggle() {
		String target = "target_user_id=" + ids.get(USER);
		List<String> adminActions = messages(AUDIT_LINE).stream()
			.filter((message) -> message.startsWith("event=admin_action "))
			.filter((message) -> message.contains(target))
			.toList();

		// Disable, enable, log out everywhere.
		assertThat(adminActions).as("admin actions on the user: " + adminActions).hasSizeGreaterThanOrEqualTo(3);
	}

	@Test
	void auditLogWhenWalkThroughThenEveryLineIsKeyValueWithoutSecrets() {
		List<String> lines = messages(AUDIT_LINE);

		assertThat(lines).hasSizeGreaterThanOrEqualTo(15);
		assertThat(lines).allMatch((line) -> line.matches("event=[a-z_]+( [a-z_]+=\\S+)+"), "key=value fields");
		for (String secret : secrets.values()) {
			assertThat(lines).noneMatch((line) -> line.contains(secret));
		}
		assertThat(lines).noneMatch((line) -> line.contains("$2a$")).noneMatch((line) -> line.contains("eyJ"));
	}

	private static void walkThrough(Api api) {
		rememberSecrets();
		String admin = accountLifecycle(api);
		String active = revocationAndIntrospection(api, admin);
		guessUntilThrottled(api);
		malformedRequests(api, active);
	}

	private static void rememberSecrets() {
		secrets.put("jwt.secret", SECRET);
		secrets.put("admin password", ADMIN_PASSWORD);
		secrets.put("introspection client secret", CLIENT_SECRET);
		secrets.put("password", PASSWORD);
		secrets.put("new password", NEW_PASSWORD);
		secrets.put("wrong password", WRONG_PASSWORD);
		secrets.put("other user's password", OTHER_PASSWORD);
		secrets.put("unknown user's password", GHOST_PASSWORD);
		secrets.put("unknown username, a password in the wrong field", GHOST);
		secrets.put("password unquoted in broken JSON", UNQUOTED_PASSWORD);
		secrets.put("password badly percent-encoded in a form", BAD_PERCENT_PASSWORD);
		secrets.put("password in a query string", QUERY_PASSWORD);
		secrets.put("password in a malformed cookie", COOKIE_PASSWORD);
	}

	/**
	 * Register, fail, log in both ways, change the password, log out everywhere; the
	 * admin disables, enables and logs out the user and deletes another. Returns the
	 * admin's token.
	 */
	private static String accountLifecycle(Api api) {
		ids.put(USER, expect(api.register(USER, PASSWORD, "log-user@example.com"), 201).number("user_id"));
		expect(api.token(USER, WRONG_PASSWORD), 401);
		String json = token("JSON login", expect(api.token(USER, PASSWORD), 200).text("token"));
		String form = token("form login",
				expect(api.postForm("/token",
						Api.form(Map.of("grant_type", "password", "username", USER, "password", PASSWORD))), 200)
					.text("access_token"));
		expect(api.tokenStatus(json), 200);
		expect(api.get("/token_status", "Authorization", Api.bearer(form)), 200);
		expect(api.withToken("GET", "/me", json), 200);
		expect(api.withToken("GET", "/users/" + ids.get(USER), json), 200);

		// Change the password: the old tokens stop working.
		expect(api.postJson("/change-password", Map.of("current_password", PASSWORD, "new_password", NEW_PASSWORD),
				json), 200);
		expect(api.tokenStatus(json), 401);
		expect(api.get("/token_status", "Authorization", Api.bearer(form)), 401);
		String afterChange = token("login after the password change", api.tokenFor(USER, NEW_PASSWORD));
		expect(api.withToken("POST", "/logout-all", afterChange), 200);
		String user = token("login after logging out everywhere", api.tokenFor(USER, NEW_PASSWORD));

		// The admin disables and enables the user, logs them out, deletes another user.
		String admin = token("admin login", api.tokenFor(ADMIN, ADMIN_PASSWORD));
		ids.put(ADMIN, expect(api.withToken("GET", "/me", admin), 200).number("user_id"));
		ids.put(OTHER_USER,
				expect(api.register(OTHER_USER, OTHER_PASSWORD, "other@example.com"), 201).number("user_id"));
		token("other user's login", api.tokenFor(OTHER_USER, OTHER_PASSWORD));
		expect(api.withToken("GET", "/users?page=0&size=10", admin), 200);
		expect(api.withToken("PUT", "/toggle-user-permission/" + ids.get(USER) + "/0", admin), 200);
		expect(api.token(USER, NEW_PASSWORD), 403);
		expect(api.withToken("PUT", "/toggle-user-permission/" + ids.get(USER) + "/1", admin), 200);
		expect(api.withToken("POST", "/logout-all?user_id=" + ids.get(USER), admin), 200);
		expect(api.tokenStatus(user), 401);
		expect(api.withToken("DELETE", "/remove-user/" + ids.get(OTHER_USER), admin), 200);
		return admin;
	}

	/** Returns a token that is still active. */
	private static String revocationAndIntrospection(Api api, String admin) {
		String revoked = token("token to revoke", api.tokenFor(USER, NEW_PASSWORD));
		String active = token("token to introspect", api.tokenFor(USER, NEW_PASSWORD));
		expect(api.postForm("/revoke", Api.form(Map.of("token", revoked)), Api.bearer(revoked)), 200);
		expect(api.tokenStatus(revoked), 401);
		Reply introspected = expect(
				api.postForm("/introspect", Api.form(Map.of("token", active)), Api.basic(CLIENT_ID, CLIENT_SECRET)),
				200);
		assertThat(introspected.json().get("active").asBoolean()).isTrue();
		expect(api.postForm("/introspect", Api.form(Map.of("token", revoked)), Api.bearer(admin)), 200);
		return active;
	}

	/** Guessing the password of an unknown user, then of a known one, until throttled. */
	private static void guessUntilThrottled(Api api) {
		expect(api.register(GUESSED, PASSWORD, "log-guessed@example.com"), 201);
		for (String username : List.of(GHOST, GUESSED)) {
			for (int i = 0; i < FAILED_LOGIN_LIMIT; i++) {
				expect(api.token(username, GHOST_PASSWORD), 401);
			}
			expect(api.token(username, GHOST_PASSWORD), 429);
		}
	}

	/**
	 * Malformed requests, some carrying a password; a token in a path spelled
	 * differently, mistyped, or too broken to parse.
	 */
	private static void malformedRequests(Api api, String active) {
		expect(api.postJson("/token", "{\"username\":\"" + USER + "\",\"password\":" + UNQUOTED_PASSWORD + "}"), 400);
		expect(api.postForm("/token",
				"grant_type=password&username=" + USER + "&password=" + BAD_PERCENT_PASSWORD + "%zz"), 400);
		expect(api.postForm("/token?password=" + QUERY_PASSWORD, "grant_type=password&username=" + USER), 400);
		expect(api.postJson("/register-user", "{\"username\":"), 400);
		expect(api.get("/token_status/" + active + "x"), 401);
		assertThat(api.raw("GET /token_status/%zz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"))
			.startsWith("HTTP/1.1 400");
		expect(api.get("/%74oken_status/" + active), 200);
		expect(api.get("/token-status/" + active), 404);
		assertThat(
				api.raw("GET //token_status/" + active + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"))
			.startsWith("HTTP/1.1 400");
		assertThat(
				api.raw("GET /token_status/" + active + "{ HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"))
			.startsWith("HTTP/1.1 400");
		assertThat(api.raw("GET /token_status;" + active + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"))
			.startsWith("HTTP/1.1 4");
		expect(api.get("/token-status/%65" + active.substring(1)), 404);

		// Cookies the service never reads, which Tomcat quotes when it cannot parse them.
		expect(api.get("/token_status", "Authorization", Api.bearer(active), "Cookie",
				"auth=Bearer " + active + "; theme=dark"), 200);
		expect(api.get("/token_status", "Authorization", Api.bearer(active), "Cookie",
				"x=\"unterminated," + COOKIE_PASSWORD), 200);
	}

	/** Remembers a token, and its signature on its own, as things never to log. */
	private static String token(String what, String token) {
		secrets.put(what + ": token", token);
		secrets.put(what + ": signature", token.substring(token.lastIndexOf('.') + 1));
		return token;
	}

	private static Reply expect(Reply reply, int status) {
		assertThat(reply.status()).as(reply.toString()).isEqualTo(status);
		return reply;
	}

	private static ConfigurableApplicationContext start() {
		List<String> args = new ArrayList<>(List.of("--server.port=0", "--data.dir=" + dir.resolve("data"),
				"--config.file=/dev/null", "--jwt.secret=" + SECRET, "--http.access_log=true",
				"--admin.username=" + ADMIN, "--admin.password=" + ADMIN_PASSWORD,
				"--introspection.clients[0].id=" + CLIENT_ID, "--introspection.clients[0].secret=" + CLIENT_SECRET,
				"--limits.failed_logins_per_user_and_address.capacity=" + FAILED_LOGIN_LIMIT,
				"--limits.failed_logins_per_user_and_address.period=1h"));
		// Everything, including the loggers the service turns off by default.
		args.addAll(List.of("--logging.level.root=TRACE", "--logging.level.org.hibernate.SQL=DEBUG",
				"--logging.level.org.hibernate.orm.jdbc.bind=TRACE",
				"--logging.level.org.hibernate.orm.jdbc.extract=TRACE",
				"--logging.level.org.apache.coyote.http11=DEBUG",
				// The test's own HTTP client runs in this JVM: its lines are not the
				// service's.
				"--logging.level.jdk.internal.httpclient=INFO"));
		return SpringApplication.run(TokenServiceApplication.class, args.toArray(String[]::new));
	}

	/**
	 * Puts the JVM's log levels back, so the test classes after this one do not run at
	 * DEBUG.
	 */
	private static void restore(LoggingSystem logging, List<LoggerConfiguration> before) {
		Map<String, LogLevel> configured = new LinkedHashMap<>();
		before.forEach((logger) -> configured.put(logger.getName(), logger.getConfiguredLevel()));
		for (LoggerConfiguration logger : logging.getLoggerConfigurations()) {
			LogLevel level = configured.get(logger.getName());
			if (level != logger.getConfiguredLevel()) {
				logging.setLogLevel(logger.getName(), level);
			}
		}
	}

	private static List<String> messages(Pattern pattern) {
		List<String> messages = new ArrayList<>();
		log.lines().forEach((line) -> {
			Matcher matcher = pattern.matcher(line);
			if (matcher.find()) {
				messages.add(matcher.group(1).strip());
			}
		});
		return messages;
	}

	/** Every forbidden value found in these lines, with the loggers that printed it. */
	private static List<String> leaks(List<String> lines) {
		Map<String, String> forbidden = new LinkedHashMap<>(secrets);
		for (int i = 0; i < hashes.size(); i++) {
			forbidden.put("BCrypt hash #" + i + " from the users table", hashes.get(i));
		}
		forbidden.put("any BCrypt hash ($2a$)", "$2a$");
		List<String> leaks = new ArrayList<>();
		forbidden.forEach((what, value) -> {
			List<String> found = lines.stream().filter((line) -> line.contains(value)).toList();
			if (!found.isEmpty()) {
				Set<String> sources = new TreeSet<>(found.stream().map(LogSafetyTests::source).toList());
				leaks.add(what + " on " + found.size() + " line(s) from " + sources + ", e.g.\n      "
						+ shortened(found.get(0)));
			}
		});
		return leaks;
	}

	/**
	 * The captured lines at these levels; a line that is not a log line (a stack trace, a
	 * continuation) has the level of the log line before it.
	 */
	private static List<String> lines(Set<String> levels) {
		List<String> lines = new ArrayList<>();
		String level = "";
		for (String line : log.lines().toList()) {
			Matcher matcher = SOURCE.matcher(line);
			if (matcher.find()) {
				level = matcher.group(1);
			}
			if (levels.contains(level)) {
				lines.add(line);
			}
		}
		return lines;
	}

	private static String source(String line) {
		Matcher matcher = SOURCE.matcher(line);
		return matcher.find() ? matcher.group(1) + " " + matcher.group(2) : "(not a log line)";
	}

	private static final class Recorder implements ObservationHandler<Observation.Context> {

		@Override
		public void onStop(Observation.Context context) {
			context.getAllKeyValues()
				.forEach((value) -> observed.add(context.getName() + " " + value.getKey() + "=" + value.getValue()));
		}

		@Override
		public boolean supportsContext(Observation.Context context) {
			return true;
		}

	}

	private static String shortened(String line) {
		return (line.length() > 400) ? line.substring(0, 400) + "..." : line;
	}

}
