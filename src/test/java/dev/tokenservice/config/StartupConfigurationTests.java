package dev.tokenservice.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import dev.tokenservice.TokenServiceApplication;
import dev.tokenservice.support.Api;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringApplicationRunListener;
import org.springframework.boot.actuate.autoconfigure.web.server.ManagementContextAutoConfiguration;
import org.springframework.boot.bootstrap.ConfigurableBootstrapContext;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.ConfigurableEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Starts the whole application on a config.yml written by the test and checks that a bad
 * value stops start-up with one line naming the key, and that unknown or missing
 * configuration is reported.
 */
@ExtendWith(OutputCaptureExtension.class)
class StartupConfigurationTests {

	private static final String ANALYSIS_PREFIX = "Invalid configuration: ";

	@TempDir
	Path dir;

	@Nested
	class InvalidValue {

		@ParameterizedTest(name = "{0}: {1}")
		@CsvSource(delimiter = '|', textBlock = """
				jwt.algorithm         | RS256 | must be one of HS256, HS384, HS512 (got 'RS256')
				jwt.algorithm         | none  | must be one of HS256, HS384, HS512 (got 'none')
				jwt.expiration_time   | 0     | must be a positive number of minutes, or of seconds such as 90s
				jwt.expiration_time   | -5    | must be a positive number of minutes, or of seconds such as 90s
				jwt.expiration_time   | 500ms | must be a positive number of minutes, or of seconds such as 90s
				jwt.expiration_time   | 1500ms | must be a positive number of minutes, or of seconds such as 90s
				jwt.expiration_time   | 525601 | must be at most 525600 minutes (a year)
				password.hashing_timeout | 6m | must be a positive duration of at most 5 minutes
				password.bcrypt_cost  | 3     | must be between 4 and 31
				password.bcrypt_cost  | 32    | must be between 4 and 31
				password.min_length   | 0     | must be between 1 and 72
				password.min_length   | 73    | must be between 1 and 72
				password.hashing_queue | -1   | must be 0 or more
				database.pool_size    | 1     | must be at least 2 (the start-up's migrations need two connections)
				""")
		void startWhenValueOutOfRangeThenFailsWithOneLineNamingKey(String key, String value, String rule,
				CapturedOutput output) throws IOException {
			Path config = writeConfig(yaml(key, value));
			assertThatThrownBy(() -> start(config).close()).hasRootCauseInstanceOf(InvalidConfigurationException.class)
				.rootCause()
				.hasMessage(key + " " + rule);
			assertThat(analysisLines(output)).containsExactly(ANALYSIS_PREFIX + key + " " + rule);
		}

		/**
		 * Each hashing thread holds its own Argon2 memory at once: past half the heap,
		 * logins would end in OutOfMemoryError.
		 */
		@Test
		void startWhenArgon2MemoryOfAllHashingThreadsExceedsHalfTheHeapThenFailsNamingKey()
				throws IOException, InterruptedException {
			String console = consoleOfFailedStart(List.of("-Xmx96m"), "--config.file=/dev/null",
					"--data.dir=" + StartupConfigurationTests.this.dir.resolve("data"), "--password.algorithm=argon2id",
					"--password.argon2.memory_kib=65536");

			assertThat(console.lines().map(String::strip).filter((line) -> line.contains(ANALYSIS_PREFIX)))
				.singleElement(InstanceOfAssertFactories.STRING)
				.startsWith(ANALYSIS_PREFIX + "password.argon2.memory_kib needs 64 MiB of heap for each of "
						+ Runtime.getRuntime().availableProcessors() + " hashing threads");
		}

		/**
		 * A secret taken from a variable that is not set would otherwise be the
		 * placeholder's text, which anyone can read in the README.
		 */
		@ParameterizedTest
		@CsvSource(delimiter = '|',
				textBlock = """
						introspection.clients[0].secret | introspection:\\n  clients:\\n    - id: orders-api\\n      secret: ${TOKEN_SERVICE_TEST_UNSET_SECRET}\\n
						admin.password                  | admin:\\n  password: x${TOKEN_SERVICE_TEST_UNSET_SECRET}y\\n
						""")
		void startWhenSecretNamesUnsetVariableThenFailsNamingKeyAndVariable(String key, String yaml,
				CapturedOutput output) throws IOException {
			Path config = writeConfig(yaml.replace("\\n", "\n"));
			assertThatThrownBy(() -> start(config).close()).isInstanceOf(InvalidConfigurationException.class);
			assertThat(analysisLines(output)).containsExactly(ANALYSIS_PREFIX + key
					+ " refers to TOKEN_SERVICE_TEST_UNSET_SECRET, which is not set: set it, or give a default as in "
					+ "${TOKEN_SERVICE_TEST_UNSET_SECRET:}");
		}

		/** A client is looked up by its id: one id cannot have two secrets. */
		@Test
		void startWhenTwoIntrospectionClientsShareAnIdThenFailsNamingTheIdWithoutPrintingSecrets(CapturedOutput output)
				throws IOException {
			Path config = writeConfig("""
					introspection:
					  clients:
					    - id: orders-api
					      secret: Orders-Secret-One-7731
					    - id: billing-api
					      secret: Billing-Secret-4410
					    - id: orders-api
					      secret: Orders-Secret-Two-9902
					""");
			assertThatThrownBy(() -> start(config).close()).hasRootCauseInstanceOf(InvalidConfigurationException.class);
			assertThat(analysisLines(output)).containsExactly(ANALYSIS_PREFIX
					+ "introspection.clients[2].id must be unique: orders-api is also the id of introspection.clients[0]");
			assertThat(output.getAll()).doesNotContain("Orders-Secret-").doesNotContain("Duplicate key");
			assertThat(StartupConfigurationTests.this.dir.resolve("data")).doesNotExist();
		}

		/** Past these, the encoded hash would not fit the database's column. */
		@ParameterizedTest
		@ValueSource(strings = { "memory_kib: 1048577", "iterations: 11", "parallelism: 9" })
		void startWhenArgon2CostTooHighThenFailsNamingPasswordArgon2(String cost, CapturedOutput output)
				throws IOException {
			Path config = writeConfig("password:\n  argon2:\n    " + cost + "\n");
			assertThatThrownBy(() -> start(config).close()).hasRootCauseInstanceOf(InvalidConfigurationException.class);
			assertThat(analysisLines(output)).containsExactly(ANALYSIS_PREFIX
					+ "password.argon2 needs memory_kib from 7168 (7 MiB) to 1048576 (1 GiB), iterations from 1 to 10 "
					+ "and parallelism from 1 to 8");
		}

		@Test
		void startWhenSecretTooShortForHs256ThenFailsNamingJwtSecretWithoutPrintingIt(CapturedOutput output)
				throws IOException {
			String secret = "Tr0ub4dor-x9";
			Path config = writeConfig("jwt:\n  algorithm: HS256\n");
			assertThatThrownBy(() -> start(config, "--jwt.secret=" + secret).close())
				.hasRootCauseInstanceOf(InvalidConfigurationException.class);
			assertThat(analysisLines(output)).containsExactly(ANALYSIS_PREFIX
					+ "jwt.secret is too short for HS256: it needs at least 32 bytes (leave it empty to have one generated)");
			assertThat(output.getAll()).doesNotContain(secret);
		}

		@Test
		void startWhenSecretOf40BytesWithHs512ThenFailsNamingJwtSecretWithoutPrintingIt(CapturedOutput output)
				throws IOException {
			String secret = "k3y-".repeat(10);
			assertThat(secret).hasSize(40);
			Path config = writeConfig("jwt:\n  algorithm: HS512\n");
			assertThatThrownBy(() -> start(config, "--jwt.secret=" + secret).close())
				.hasRootCauseInstanceOf(InvalidConfigurationException.class);
			assertThat(analysisLines(output)).containsExactly(ANALYSIS_PREFIX
					+ "jwt.secret is too short for HS512: it needs at least 64 bytes (leave it empty to have one generated)");
			assertThat(output.getAll()).doesNotContain(secret);
		}

		/** RFC 8725 §3.5: long enough, but found offline from any one token. */
		@ParameterizedTest
		@ValueSource(strings = { "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "abababababababababababababababab",
				"0123456701234567012345670123456701234567" })
		void startWhenSecretLongEnoughButNotRandomThenFailsNamingJwtSecretWithoutPrintingIt(String secret,
				CapturedOutput output) throws IOException {
			Path config = writeConfig("");
			assertThatThrownBy(() -> start(config, "--jwt.secret=" + secret).close())
				.hasRootCauseInstanceOf(InvalidConfigurationException.class);
			assertThat(analysisLines(output)).containsExactly(ANALYSIS_PREFIX
					+ "jwt.secret is not random enough (fewer than 10 different characters): use e.g. openssl rand -base64 48");
			assertThat(output.getAll()).doesNotContain(secret);
		}

		/**
		 * Spring Boot's own report quotes the value, which may be a secret set under the
		 * wrong key; so does its stack trace at DEBUG.
		 */
		@ParameterizedTest(name = "{0}")
		@CsvSource(delimiter = '|',
				textBlock = """
						jwt.expiration_time      | 2:20 | must be a duration such as 90s or 2h (a number alone counts minutes)
						password.hashing_timeout | 2:20 | must be a duration such as 90s or 2h (a number alone counts milliseconds)
						password.bcrypt_cost     | 2:16 | must be a whole number
						limits.enabled           | 2:12 | must be true or false
						limits.store             | 2:10 | must be one of auto, memory, database
						http.max_body_size       | 2:18 | must be a size such as 512KB or 2MB
						""")
		void startWhenValueOfWrongTypeThenFailsNamingKeyAndLineWithoutPrintingValue(String key, String position,
				String rule, CapturedOutput output) throws IOException {
			String secret = "Misplaced-Secret-8841";
			Path config = writeConfig(yaml(key, secret));
			assertThatThrownBy(
					() -> start(config, "--logging.level.org.springframework.boot.diagnostics=debug").close())
				.isInstanceOf(BindException.class);
			assertThat(analysisLines(output))
				.containsExactly(ANALYSIS_PREFIX + key + " (URL [file:" + config + "] - " + position + ") " + rule);
			assertThat(output.getAll()).doesNotContain(secret);
		}

		/**
		 * Environment variables numbered from 1 (INTROSPECTION_CLIENTS_1_SECRET) leave a
		 * gap at 0 that Spring Boot does not bind past.
		 */
		@Test
		void startWhenListEntriesLeaveAGapThenFailsNamingThemWithoutPrintingValues(CapturedOutput output)
				throws IOException {
			String secret = "Orders-Secret-Value-7731";
			Path config = writeConfig("");
			assertThatThrownBy(() -> start(config, "--introspection.clients[1].id=orders-api",
					"--introspection.clients[1].secret=" + secret)
				.close()).isInstanceOf(BindException.class);
			assertThat(analysisLines(output)).containsExactly(ANALYSIS_PREFIX
					+ "introspection.clients[1].id (\"introspection.clients[1].id\" from property source \"commandLineArgs\"), "
					+ "introspection.clients[1].secret (\"introspection.clients[1].secret\" from property source "
					+ "\"commandLineArgs\") cannot be used: the entries of a list are numbered from 0 without gaps");
			assertThat(output.getAll()).doesNotContain(secret);
		}

		/** "id:secret" in one value is a natural guess at a list entry. */
		@Test
		void startWhenListGivenAsOneValueThenFailsNamingKeyWithoutPrintingValue(CapturedOutput output)
				throws IOException {
			String secret = "orders-api:Orders-Secret-Value-7731";
			Path config = writeConfig(yaml("introspection.clients", "\"" + secret + "\""));
			assertThatThrownBy(() -> start(config).close()).isInstanceOf(BindException.class);
			assertThat(analysisLines(output)).containsExactly(ANALYSIS_PREFIX + "introspection.clients (URL [file:"
					+ config + "] - 2:12) must be a list: one \"- \" entry each in config.yml, or "
					+ "INTROSPECTION_CLIENTS_0_..., _1_... in the environment");
			assertThat(output.getAll()).doesNotContain("Orders-Secret-Value-7731");
		}

		/**
		 * SPRING_DATASOURCE_URL is the usual spelling for a Spring Boot service; ignored,
		 * it would leave each instance of a fleet on an embedded database of its own.
		 */
		@ParameterizedTest
		@CsvSource(delimiter = '|',
				textBlock = """
						spring.datasource.url      | jdbc:postgresql://127.0.0.1:1/tokens | database.url (DATABASE_URL)
						spring.datasource.password | Datasource-Secret-5519                | database.password (DATABASE_PASSWORD)
						""")
		void startWhenSpringDatasourceKeyGivenThenFailsNamingTheServicesKey(String key, String value, String ours,
				CapturedOutput output) throws IOException {
			Path config = writeConfig("");
			assertThatThrownBy(() -> start(config, "--" + key + "=" + value).close())
				.hasRootCauseInstanceOf(InvalidConfigurationException.class);
			assertThat(analysisLines(output))
				.containsExactly(ANALYSIS_PREFIX + key + " is not read by this service: set " + ours + " instead");
			assertThat(output.getAll()).doesNotContain(value);
		}

		/** Here the value is read by Spring Boot's web server set-up, not bound. */
		@Test
		void startWhenServerPortNotANumberThenFailsNamingItWithoutPrintingValue(CapturedOutput output)
				throws IOException {
			Path config = writeConfig(yaml("server.port", "Misplaced-Secret-8841"));
			assertThatThrownBy(() -> SpringApplication
				.run(TokenServiceApplication.class, "--data.dir=" + StartupConfigurationTests.this.dir.resolve("data"),
						"--config.file=" + config)
				.close()).isNotNull();
			assertThat(analysisLines(output)).containsExactly(ANALYSIS_PREFIX + "server.port is not a valid value");
			assertThat(output.getAll()).doesNotContain("Misplaced-Secret-8841");
		}

		/**
		 * {@code PORT=} in a compose file: the repository's {@code ${PORT:8001}} resolves
		 * to nothing, which Tomcat would take as its own default, 8080.
		 */
		@Test
		void startWhenServerPortEmptyThenFailsNamingIt(CapturedOutput output) throws IOException {
			Path config = writeConfig("server:\n  port: \"\"\n");
			assertThatThrownBy(() -> SpringApplication
				.run(TokenServiceApplication.class, "--data.dir=" + StartupConfigurationTests.this.dir.resolve("data"),
						"--config.file=" + config)
				.close()).isInstanceOf(InvalidConfigurationException.class);
			assertThat(analysisLines(output))
				.containsExactly(ANALYSIS_PREFIX + "server.port is empty (PORT or SERVER_PORT set to nothing?)");
		}

		@Test
		void startWhenValueInvalidThenStopsBeforeWritingAnything() throws IOException {
			Path config = writeConfig(yaml("password.bcrypt_cost", "3"));
			assertThatThrownBy(() -> start(config).close()).hasRootCauseInstanceOf(InvalidConfigurationException.class);
			assertThat(StartupConfigurationTests.this.dir.resolve("data")).doesNotExist();
		}

		@Test
		void startWhenDataDirBlankThenFailsNamingDataDir(CapturedOutput output) throws IOException {
			Path config = writeConfig("data:\n  dir: \"  \"\n");
			assertThatThrownBy(() -> SpringApplication
				.run(TokenServiceApplication.class, "--server.port=0", "--config.file=" + config)
				.close()).hasRootCauseInstanceOf(InvalidConfigurationException.class);
			assertThat(analysisLines(output)).containsExactly(ANALYSIS_PREFIX + "data.dir must name a directory");
		}

		/** One line with the driver's reason, not ninety lines of nested causes. */
		@Test
		void startWhenDatabaseRefusesConnectionsThenFailsWithOneLineReason(CapturedOutput output) throws IOException {
			Path config = writeConfig("");
			assertThatThrownBy(() -> start(config, "--database.url=jdbc:postgresql://127.0.0.1:1/nowhere").close())
				.isNotNull();
			assertThat(databaseLines(output)).singleElement()
				.satisfies((line) -> assertThat(line)
					.startsWith("Cannot connect to the database: Connection to 127.0.0.1:1 refused.")
					.endsWith("(SQLSTATE 08001)"));
			assertThat(output.getAll()).doesNotContain("Caused by");
		}

		/**
		 * The form container platforms set in {@code DATABASE_URL}: taken apart, its
		 * password never printed.
		 */
		@Test
		void startWhenDatabaseUrlInLibpqFormThenConnectsToItsHostWithoutPrintingPassword(CapturedOutput output)
				throws IOException {
			Path config = writeConfig("");
			assertThatThrownBy(
					() -> start(config, "--database.url=postgres://someone:Pw-Libpq-Secret-5521@127.0.0.1:1/nowhere")
						.close())
				.isNotNull();
			assertThat(databaseLines(output)).singleElement()
				.satisfies((line) -> assertThat(line)
					.startsWith("Cannot connect to the database: Connection to 127.0.0.1:1 refused."));
			assertThat(output.getAll()).doesNotContain("Pw-Libpq-Secret-5521");
		}

		private static List<String> databaseLines(CapturedOutput output) {
			return output.getAll()
				.lines()
				.map(String::strip)
				.filter((line) -> line.startsWith("Cannot connect to the database"))
				.toList();
		}

		private static String yaml(String key, String value) {
			String[] parts = key.split("\\.", 2);
			return parts[0] + ":\n  " + parts[1] + ": " + value + "\n";
		}

	}

	@Nested
	class ConfigFileKeys {

		@Test
		void startWhenConfigFileHasTypoKeysThenStartsAndWarnsAboutEachUnknownKeyOnly(CapturedOutput output)
				throws IOException {
			Path config = writeConfig("""
					jwt:
					  algorithm: HS256
					  expiration_tme: 5
					  issuer: token-service
					jwtt:
					  secret: x
					password:
					  bcrypt_cost: 4
					  min_length: 8
					""");
			try (ConfigurableApplicationContext context = start(config)) {
				// The typo leaves the default in force: it must not pass silently.
				assertThat(context.getBean(JwtProperties.class).expirationTime()).isEqualTo(Duration.ofMinutes(60));
			}
			assertWarnedOnce(output, "Unknown configuration key 'jwt.expiration_tme' in " + config);
			assertWarnedOnce(output, "Unknown configuration key 'jwtt.secret' in " + config);
			assertThat(output.getAll()).contains("Configuration read from " + config)
				.doesNotContain("Unknown configuration key 'jwt.algorithm'")
				.doesNotContain("Unknown configuration key 'jwt.issuer'")
				.doesNotContain("Unknown configuration key 'password.bcrypt_cost'")
				.doesNotContain("Unknown configuration key 'password.min_length'");
		}

		/** Spring binds nothing from these, and the default would rule unseen. */
		@ParameterizedTest(name = "{1}")
		@MethodSource("dev.tokenservice.config.StartupConfigurationTests#listsAndSectionsForOneValue")
		void startWhenListOrSectionGivenForOneValueThenFailsNamingKey(String yaml, String key, CapturedOutput output)
				throws IOException {
			Path config = writeConfig(yaml);

			assertThatThrownBy(() -> start(config).close()).isInstanceOf(InvalidConfigurationException.class);
			assertThat(analysisLines(output)).containsExactly(
					ANALYSIS_PREFIX + key + " in " + config + " must be one value, not a list or a section of keys");
		}

		@Test
		void startWhenIntrospectionClientsListedThenNoWarningOrFailure(CapturedOutput output) throws IOException {
			Path config = writeConfig("""
					introspection:
					  clients:
					    - id: orders-api
					      secret: 0123456789abcdef0123
					""");

			try (ConfigurableApplicationContext context = start(config)) {
				assertThat(context.getBean(IntrospectionProperties.class).clients()).hasSize(1);
			}
			assertThat(output.getAll()).doesNotContain("Unknown configuration key");
		}

		@Test
		void startWhenNestedSectionHasTypoKeyThenWarnsAboutThatKeyOnly(CapturedOutput output) throws IOException {
			Path config = writeConfig("""
					password:
					  argon2:
					    memory_kib: 19456
					    iteratons: 3
					limits:
					  failed_logins_per_user:
					    capcity: 5
					    period: 1m
					""");
			try (ConfigurableApplicationContext context = start(config)) {
				assertThat(context.getBean(PasswordProperties.class).argon2().iterations()).isEqualTo(2);
			}
			assertWarnedOnce(output, "Unknown configuration key 'password.argon2.iteratons' in " + config);
			assertWarnedOnce(output, "Unknown configuration key 'limits.failed_logins_per_user.capcity' in " + config);
			assertThat(output.getAll()).doesNotContain("Unknown configuration key 'password.argon2.memory_kib'")
				.doesNotContain("Unknown configuration key 'limits.failed_logins_per_user.period'");
		}

		/**
		 * As in a fast start whose jar was built without an actuator port of its own: no
		 * bean would start a server for it, so the setting stops the start instead of
		 * leaving the actuator on the service's port.
		 */
		@Test
		void startWhenActuatorPortSetButNothingWouldServeItThenStopsNamingManagementServerPort(CapturedOutput output) {
			assertThatThrownBy(() -> SpringApplication
				.run(TokenServiceApplication.class, "--server.port=0", "--management.server.port=0",
						"--spring.autoconfigure.exclude=" + ManagementContextAutoConfiguration.class.getName(),
						"--data.dir=" + StartupConfigurationTests.this.dir.resolve("data"), "--config.file=/dev/null")
				.close()).isInstanceOf(InvalidConfigurationException.class);
			assertThat(analysisLines(output)).containsExactly(ANALYSIS_PREFIX
					+ "management.server.port takes effect only in the plain start (java -jar), not in this fast start,"
					+ " whose actuator shares the service's port as it did when the jar was built");
		}

		/** A file named on purpose that is not there is a mistake, as in Spring Boot. */
		@Test
		void startWhenNamedConfigFileMissingThenStopsNamingConfigFile(CapturedOutput output) {
			Path config = StartupConfigurationTests.this.dir.resolve("absent.yml");
			assertThatThrownBy(() -> start(config).close()).isInstanceOf(InvalidConfigurationException.class);
			assertThat(analysisLines(output)).containsExactly(ANALYSIS_PREFIX + "config.file names " + config
					+ ", which does not exist (leave it unset to run on the built-in defaults)");
			assertThat(output.getAll()).contains("Correct CONFIG_FILE (or --config.file), or mount the file there");
			assertThat(StartupConfigurationTests.this.dir.resolve("data")).doesNotExist();
		}

		/**
		 * SnakeYAML's own message quotes the line it stopped at, and names a tag or an
		 * alias in full: an unquoted password starting with ! or * is read as one.
		 */
		@ParameterizedTest(name = "{2}")
		@CsvSource(delimiter = '|',
				textBlock = """
						jwt:\\n  secret: "Zq8vN3pLx7RtW2yK9mBc4HdF6gJs1QeUaVo5TiYr\\nadmin:\\n  username: rootadm\\n | Zq8vN3pLx7Rt        | found unexpected end of stream (line 5, column 1), while scanning a quoted scalar (line 2, column 11)
						admin:\\n  password: Long: Operator-Passphrase\\n                                       | Operator-Passphrase | mapping values are not allowed here (line 2, column 17)
						admin:\\n  password: *Operator-Passphrase\\n                                             | Operator-Passphrase | found undefined alias (line 2, column 13)
						admin:\\n  password: !Operator-Passphrase\\n                                             | Operator-Passphrase | could not determine a constructor for the tag (line 2, column 13)
						admin:\\n  password: Operator\\033Passphrase\\n                                         | Operator            | unacceptable character U+001B (character 28 of the file)
						""")
		void startWhenConfigFileIsNotValidYamlThenFailsNamingFileLineAndColumnWithoutQuotingTheLine(String yaml,
				String secret, String problem, CapturedOutput output) throws IOException {
			Path config = writeConfig(yaml.translateEscapes());
			assertThatThrownBy(() -> start(config).close()).isInstanceOf(InvalidConfigurationException.class);
			assertThat(analysisLines(output))
				.containsExactly(ANALYSIS_PREFIX + config + " is not valid YAML: " + problem);
			assertNoSnippetNorStackTrace(output.getAll(), secret);
		}

		/**
		 * The console as an operator sees it, with the repository's default file: the
		 * file is read before Spring Boot sets up logging, in a JVM of its own.
		 */
		@Test
		void startWhenDefaultConfigFileIsNotValidYamlThenConsoleShowsOneLineAndNoStackTrace()
				throws IOException, InterruptedException {
			Path config = writeConfig("admin:\n  password: Long: Operator-Passphrase\n");
			String console = consoleOfFailedStart(List.of());
			assertThat(console.lines().map(String::strip).filter((line) -> line.contains(ANALYSIS_PREFIX)))
				.containsExactly(ANALYSIS_PREFIX + config + " is not valid YAML: mapping values are not allowed here "
						+ "(line 2, column 17)");
			assertNoSnippetNorStackTrace(console, "Operator-Passphrase");
		}

		/**
		 * What Docker mounts where a bind mount's host file is missing, as with the
		 * README's {@code -v ./my-config.yml:/app/config.yml:ro}.
		 */
		@Test
		void startWhenDefaultConfigFileIsADirectoryThenStopsNamingIt() throws IOException, InterruptedException {
			Path config = Files.createDirectory(StartupConfigurationTests.this.dir.resolve("config.yml"));
			String console = consoleOfFailedStart(List.of());
			assertThat(console.lines().map(String::strip).filter((line) -> line.contains(ANALYSIS_PREFIX)))
				.containsExactly(
						ANALYSIS_PREFIX + "config.file names " + config + ", which is a directory, not a file");
			assertThat(StartupConfigurationTests.this.dir.resolve("data")).doesNotExist();
		}

		@Test
		void startWhenNamedConfigFileIsADirectoryThenStopsNamingIt(CapturedOutput output) throws IOException {
			Path config = Files.createDirectory(StartupConfigurationTests.this.dir.resolve("conf"));
			assertThatThrownBy(() -> start(config).close()).isInstanceOf(InvalidConfigurationException.class);
			assertThat(analysisLines(output)).containsExactly(
					ANALYSIS_PREFIX + "config.file names " + config + ", which is a directory, not a file");
		}

		/** SnakeYAML marks the column under the quoted line with a caret. */
		private static void assertNoSnippetNorStackTrace(String console, String secret) {
			assertThat(console).doesNotContain(secret)
				.doesNotContain("'reader'")
				.doesNotContain("\tat ")
				.doesNotContain("Application run failed");
			assertThat(console.lines().map(String::strip)).doesNotContain("^");
		}

		@Test
		void startWhenConfigFileIsDevNullThenStartsOnBuiltInDefaultsAndWarns(CapturedOutput output) {
			Path config = Path.of("/dev/null");
			try (ConfigurableApplicationContext context = start(config)) {
				// On the built-in defaults, and serving.
				JwtProperties jwt = context.getBean(JwtProperties.class);
				assertThat(jwt.expirationTime()).isEqualTo(Duration.ofMinutes(60));
				assertThat(jwt.issuer()).isEqualTo("token-service");
				Api api = new Api(context.getEnvironment().getRequiredProperty("local.server.port", Integer.class));
				assertThat(api.get("/actuator/health/liveness").status()).isEqualTo(200);
			}
			assertWarnedOnce(output, "No configuration file at " + config);
			assertThat(output.getAll()).doesNotContain("Configuration read from");
		}

		/**
		 * API.md: the tutorial's clients call http://localhost:8001. The start is read
		 * once its configuration is resolved and then abandoned, so the test neither
		 * needs port 8001 free nor takes it.
		 */
		@Test
		void startWhenNoPortGivenThenServerPortIs8001() {
			Path config = Path.of("/dev/null");
			AtomicReference<String> port = new AtomicReference<>();
			SpringApplicationRunListener readPort = new SpringApplicationRunListener() {

				@Override
				public void environmentPrepared(ConfigurableBootstrapContext bootstrapContext,
						ConfigurableEnvironment environment) {
					port.set(environment.getProperty("server.port"));
					throw new SpringApplication.AbandonedRunException();
				}

			};

			assertThatThrownBy(() -> SpringApplication.withHook((application) -> readPort, () -> {
				SpringApplication.run(TokenServiceApplication.class,
						"--data.dir=" + StartupConfigurationTests.this.dir.resolve("data"), "--config.file=" + config);
			})).isInstanceOf(SpringApplication.AbandonedRunException.class);
			assertThat(port.get()).isEqualTo("8001");
		}

		@Test
		void startWhenDataDirAbsentThenCreatesItReadableByOwnerOnly() throws IOException {
			Path config = writeConfig("jwt:\n  issuer: token-service\n");
			try (ConfigurableApplicationContext context = start(config)) {
				assertThat(Files.getPosixFilePermissions(StartupConfigurationTests.this.dir.resolve("data")))
					.isEqualTo(PosixFilePermissions.fromString("rwx------"));
			}
		}

		/** Exactly one line of the output carries the message, and it is a WARN line. */
		private static void assertWarnedOnce(CapturedOutput output, String message) {
			List<String> lines = output.getAll().lines().filter((line) -> line.contains(message)).toList();
			assertThat(lines).as("log lines containing: %s", message).hasSize(1);
			assertThat(lines.get(0)).contains(" WARN ");
		}

	}

	/**
	 * The OpenAPI document and Swagger UI are public by default and can be turned off.
	 */
	@Nested
	class ApiDocumentation {

		@Test
		void startWhenDefaultsThenNoWarningAboutTheApiDocumentationBeingPublic(CapturedOutput output)
				throws IOException {
			Path config = writeConfig("jwt:\n  issuer: token-service\n");
			try (ConfigurableApplicationContext context = start(config)) {
				Api api = new Api(context.getEnvironment().getRequiredProperty("local.server.port", Integer.class));
				assertThat(api.get("/v3/api-docs").status()).isEqualTo(200);
			}
			assertThat(output.getAll()).contains("Tomcat started on port")
				.doesNotContain("To disable it in production");
		}

		@Test
		void startWhenApiDocumentationTurnedOffThenServesWithoutIt() throws IOException {
			Path config = writeConfig("""
					springdoc:
					  api-docs:
					    enabled: false
					  swagger-ui:
					    enabled: false
					""");
			try (ConfigurableApplicationContext context = start(config)) {
				Api api = new Api(context.getEnvironment().getRequiredProperty("local.server.port", Integer.class));
				assertThat(api.get("/v3/api-docs").status()).isEqualTo(404);
				assertThat(api.get("/swagger-ui.html").status()).isEqualTo(404);
				assertThat(api.get("/actuator/health/liveness").status()).isEqualTo(200);
			}
		}

	}

	static Stream<Arguments> listsAndSectionsForOneValue() {
		return Stream.of(Arguments.of("jwt:\n  expiration_time: [1, 2]\n", "jwt.expiration_time"),
				Arguments.of("jwt:\n  expiration_time:\n    minutes: 5\n", "jwt.expiration_time"),
				Arguments.of("password:\n  argon2:\n    iterations:\n      - 3\n", "password.argon2.iterations"),
				Arguments.of("limits:\n  failed_logins_per_user:\n    capacity: {n: 5}\n",
						"limits.failed_logins_per_user.capacity"));
	}

	/**
	 * The service run in its own JVM (with these options) from a shell in the temporary
	 * directory, without CONFIG_FILE; the start must fail, and a start that does not is
	 * stopped.
	 */
	private String consoleOfFailedStart(List<String> jvmOptions, String... args)
			throws IOException, InterruptedException {
		Path console = Files.createTempFile("console", ".txt");
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		command.addAll(jvmOptions);
		command.addAll(List.of("-cp", System.getProperty("java.class.path"), TokenServiceApplication.class.getName(),
				"--server.port=0"));
		command.addAll(List.of(args));
		ProcessBuilder java = new ProcessBuilder(command).directory(this.dir.toFile())
			.redirectErrorStream(true)
			.redirectOutput(console.toFile());
		java.environment().remove("CONFIG_FILE");
		Process process = java.start();
		boolean exited = process.waitFor(2, TimeUnit.MINUTES);
		if (!exited) {
			process.destroyForcibly().waitFor();
		}
		try {
			assertThat(exited).as("the start stopped by itself").isTrue();
			assertThat(process.exitValue()).isNotZero();
			return Files.readString(console);
		}
		finally {
			Files.delete(console);
		}
	}

	private Path writeConfig(String yaml) throws IOException {
		Path config = this.dir.resolve("config.yml");
		Files.writeString(config, yaml);
		return config;
	}

	private static List<String> analysisLines(CapturedOutput output) {
		return output.getAll().lines().map(String::strip).filter((line) -> line.contains(ANALYSIS_PREFIX)).toList();
	}

	/**
	 * Extra arguments outrank the file and the environment; the secret tests pass the
	 * secret this way because a JWT_SECRET variable in the shell would outrank the file.
	 */
	private ConfigurableApplicationContext start(Path config, String... extraArgs) {
		List<String> args = new ArrayList<>(
				List.of("--server.port=0", "--data.dir=" + this.dir.resolve("data"), "--config.file=" + config));
		args.addAll(List.of(extraArgs));
		return SpringApplication.run(TokenServiceApplication.class, args.toArray(String[]::new));
	}

}
