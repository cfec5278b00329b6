package dev.tokenservice.account;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.tokenservice.TokenServiceApplication;
import dev.tokenservice.support.Api;
import dev.tokenservice.support.Reply;
import dev.tokenservice.support.TestUsers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The first admin, created at start-up from {@code admin.username} and
 * {@code admin.password}: once, never duplicated or reset by a restart, never by
 * promoting an existing user, and not at all when no password is configured.
 */
@ExtendWith(OutputCaptureExtension.class)
class AdminBootstrapTests {

	private static final String SECRET = "bootstrap-test-secret-that-is-long-enough-for-hs256";

	private static final String ADMIN = "boot-admin";

	private static final String ADMIN_PASSWORD = "Lantern-Quarry-5531-Moss";

	private static final String ANALYSIS_PREFIX = "Invalid configuration: ";

	@TempDir
	Path dir;

	@Test
	void startWhenAdminConfiguredThenCreatesAdminWhoCanAdminister(CapturedOutput output) {
		try (ConfigurableApplicationContext context = start(ADMIN, ADMIN_PASSWORD)) {
			Api api = api(context);

			Reply login = api.token(ADMIN, ADMIN_PASSWORD);
			assertThat(login.status()).isEqualTo(200);
			String token = login.text("token");
			Reply users = api.withToken("GET", "/users", token);

			assertThat(users.status()).isEqualTo(200);
			assertThat(users.number("total")).isEqualTo(1);
			JsonNode admin = users.json().get("users").get(0);
			assertThat(admin.get("username").asString()).isEqualTo(ADMIN);
			assertThat(admin.get("enabled").asBoolean()).isTrue();
			assertThat(roles(admin)).containsExactlyInAnyOrder("user", "admin");
			Reply me = api.withToken("GET", "/me", token);
			assertThat(me.status()).isEqualTo(200);
			assertThat(roles(me.json())).containsExactlyInAnyOrder("user", "admin");
			assertThat(adminRows(context)).isEqualTo(1);
		}
		assertThat(output.getAll()).doesNotContain(ADMIN_PASSWORD);
	}

	@Test
	void restartWhenAdminPasswordChangedThenNeitherDuplicatesNorResetsAdmin(CapturedOutput output) {
		String changedPassword = "Copper-Meadow-7720-Fern";
		long adminId;
		try (ConfigurableApplicationContext context = start(ADMIN, ADMIN_PASSWORD)) {
			Api api = api(context);
			adminId = api.withToken("GET", "/me", api.tokenFor(ADMIN, ADMIN_PASSWORD)).number("user_id");
		}

		try (ConfigurableApplicationContext context = start(ADMIN, changedPassword)) {
			Api api = api(context);

			Reply oldPassword = api.token(ADMIN, ADMIN_PASSWORD);
			assertThat(oldPassword.status()).isEqualTo(200);
			Reply newPassword = api.token(ADMIN, changedPassword);
			assertThat(newPassword.status()).isEqualTo(401);
			assertThat(newPassword.text("message")).isEqualTo("Invalid credentials");
			Reply users = api.withToken("GET", "/users", oldPassword.text("token"));
			assertThat(users.status()).isEqualTo(200);
			assertThat(users.number("total")).isEqualTo(1);
			assertThat(users.json().get("users").get(0).get("user_id").asLong()).isEqualTo(adminId);
			assertThat(adminRows(context)).isEqualTo(1);
		}
		assertThat(output.getAll()).doesNotContain(ADMIN_PASSWORD).doesNotContain(changedPassword);
	}

	/**
	 * An admin deleted on purpose (its password leaked, say) stays deleted, though
	 * {@code ADMIN_PASSWORD} is still in the environment, as compose files keep it.
	 */
	@Test
	void restartWhenConfiguredAdminWasDeletedByAnotherAdminThenNotCreatedAgain(CapturedOutput output) {
		String otherAdmin = "operator-two";
		String otherPassword = "Harbor-Willow-3307-Slate";
		try (ConfigurableApplicationContext context = start(ADMIN, ADMIN_PASSWORD)) {
			Api api = api(context);
			assertThat(api.register(otherAdmin, otherPassword, TestUsers.emailOf(otherAdmin)).status()).isEqualTo(201);
			// Earlier builds made a second admin this way: the bootstrap, with another
			// name.
			jdbc(context).update("update users set role = 'ADMIN' where username = ?", otherAdmin);
			long adminId = api.withToken("GET", "/me", api.tokenFor(ADMIN, ADMIN_PASSWORD)).number("user_id");
			Reply deleted = api.withToken("DELETE", "/remove-user/" + adminId, api.tokenFor(otherAdmin, otherPassword));
			assertThat(deleted.status()).as(deleted.toString()).isEqualTo(200);
		}

		try (ConfigurableApplicationContext context = start(ADMIN, ADMIN_PASSWORD)) {
			Reply login = api(context).token(ADMIN, ADMIN_PASSWORD);

			assertThat(login.status()).as(login.toString()).isEqualTo(401);
			assertThat(adminRows(context)).isZero();
		}
		assertThat(output.getAll()).contains("Admin '" + ADMIN + "' does not exist but other admins do: not created")
			.doesNotContain(ADMIN_PASSWORD);
	}

	@Test
	void restartWhenAdminUsernameChangedThenNoSecondAdmin() {
		try (ConfigurableApplicationContext context = start(ADMIN, ADMIN_PASSWORD)) {
			assertThat(adminRows(context)).isEqualTo(1);
		}

		try (ConfigurableApplicationContext context = start("second-admin", "Copper-Meadow-7720-Fern")) {
			assertThat(api(context).token("second-admin", "Copper-Meadow-7720-Fern").status()).isEqualTo(401);
			assertThat(userRows(context)).isEqualTo(1);
		}
	}

	@Test
	void startWhenNoAdminPasswordThenRunsWithoutAdminAndSaysSo(CapturedOutput output) {
		try (ConfigurableApplicationContext context = start(ADMIN, "")) {
			Api api = api(context);

			assertThat(userRows(context)).isZero();
			assertThat(api.token(ADMIN, ADMIN_PASSWORD).status()).isEqualTo(401);
			// The service still works for everyone else.
			String username = TestUsers.registered(api, "no-admin");
			assertThat(api.token(username, TestUsers.PASSWORD).status()).isEqualTo(200);
		}
		String line = output.getAll()
			.lines()
			.filter((candidate) -> candidate.contains("No admin password configured"))
			.findFirst()
			.orElseThrow(() -> new AssertionError("No log line containing: No admin password configured"));
		assertThat(line).containsAnyOf(" INFO ", " WARN ");
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|',
			textBlock = """
					too short (6 characters)          | Xq7#pZ                                                                    | true
					over 72 bytes (73 ASCII)          | Ab1-Ab1-Ab1-Ab1-Ab1-Ab1-Ab1-Ab1-Ab1-Ab1-Ab1-Ab1-Ab1-Ab1-Ab1-Ab1-Ab1-Ab1-x | true
					over 72 bytes (37 x 2-byte chars) | üüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüü                                     | true
					equal to the username             | boot-admin                                                                | false
					""")
	void startWhenAdminPasswordBreaksPolicyThenFailsWithOneLineNamingAdminPassword(String rule, String password,
			boolean secretInLog, CapturedOutput output) {
		assertThatThrownBy(() -> start(ADMIN, password).close()).isInstanceOf(Exception.class);

		List<String> lines = output.getAll()
			.lines()
			.map(String::strip)
			.filter((line) -> line.contains(ANALYSIS_PREFIX))
			.toList();
		assertThat(lines).as(rule).hasSize(1);
		assertThat(lines.get(0)).as(rule).startsWith(ANALYSIS_PREFIX + "admin.password ");
		assertThat(output.getAll()).as("the port never opened").doesNotContain("Tomcat started");
		if (secretInLog) {
			assertThat(output.getAll()).as(rule).doesNotContain(password);
		}
	}

	@Test
	void startWhenAdminNameTakenByUserThenNotPromotedAndWarns(CapturedOutput output) {
		String userPassword = "Harbor-Willow-3307-Slate";
		try (ConfigurableApplicationContext context = start(ADMIN, "")) {
			Reply registered = api(context).register(ADMIN, userPassword, TestUsers.emailOf(ADMIN));
			assertThat(registered.status()).isEqualTo(201);
		}

		try (ConfigurableApplicationContext context = start(ADMIN, ADMIN_PASSWORD)) {
			Api api = api(context);

			Reply login = api.token(ADMIN, userPassword);
			assertThat(login.status()).isEqualTo(200);
			String token = login.text("token");
			Reply users = api.withToken("GET", "/users", token);
			assertThat(users.status()).isEqualTo(403);
			assertThat(users.text("message")).isEqualTo("Forbidden");
			Reply me = api.withToken("GET", "/me", token);
			assertThat(me.status()).isEqualTo(200);
			assertThat(roles(me.json())).containsExactly("user");
			Reply configuredPassword = api.token(ADMIN, ADMIN_PASSWORD);
			assertThat(configuredPassword.status()).isEqualTo(401);
			assertThat(userRows(context)).isEqualTo(1);
			assertThat(jdbc(context).queryForObject("select role from users where username = ?", String.class, ADMIN))
				.isEqualTo("USER");
		}
		List<String> warnings = output.getAll()
			.lines()
			.filter((line) -> line.contains(" WARN "))
			.filter((line) -> line.contains(ADMIN) || line.contains("admin.username"))
			.toList();
		assertThat(warnings).as("a WARN line about the taken admin name").isNotEmpty();
		assertThat(output.getAll()).doesNotContain(ADMIN_PASSWORD).doesNotContain(userPassword);
	}

	private ConfigurableApplicationContext start(String adminUsername, String adminPassword) {
		List<String> args = new ArrayList<>(List.of("--server.port=0", "--data.dir=" + this.dir.resolve("data"),
				"--config.file=/dev/null", "--jwt.secret=" + SECRET, "--admin.username=" + adminUsername,
				"--admin.password=" + adminPassword));
		return SpringApplication.run(TokenServiceApplication.class, args.toArray(String[]::new));
	}

	private static Api api(ConfigurableApplicationContext context) {
		return new Api(Integer.parseInt(context.getEnvironment().getProperty("local.server.port")));
	}

	private static JdbcTemplate jdbc(ConfigurableApplicationContext context) {
		return context.getBean(JdbcTemplate.class);
	}

	private static long adminRows(ConfigurableApplicationContext context) {
		Long count = jdbc(context).queryForObject("select count(*) from users where username = ?", Long.class, ADMIN);
		return (count != null) ? count : -1;
	}

	private static long userRows(ConfigurableApplicationContext context) {
		Long count = jdbc(context).queryForObject("select count(*) from users", Long.class);
		return (count != null) ? count : -1;
	}

	private static List<String> roles(JsonNode user) {
		List<String> roles = new ArrayList<>();
		user.get("roles").forEach((role) -> roles.add(role.asString()));
		return roles;
	}

}
