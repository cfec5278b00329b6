package dev.tokenservice.account;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.tokenservice.TokenServiceApplication;
import dev.tokenservice.support.Api;
import dev.tokenservice.support.HttpTestSupport;
import dev.tokenservice.support.Reply;
import dev.tokenservice.support.TestUsers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The password policy of NIST SP 800-63B over HTTP: long enough, no composition rules,
 * not containing the username, not common or easily guessed (nbvcxz's dictionaries), the
 * same on registration and on change-password; {@code password.reject_common=false} and
 * {@code password.min_length=6} let the tutorial's client through; raising
 * {@code password.bcrypt_cost} upgrades a hash at the next successful login.
 *
 * @see <a href="https://pages.nist.gov/800-63-4/sp800-63b.html#password">NIST SP 800-63B
 * §3.1.1.2</a>
 */
class PasswordPolicyHttpTests extends HttpTestSupport {

	private static final String TOO_COMMON = "is too common or too easy to guess: choose a longer or less predictable "
			+ "one, such as a few unrelated words";

	private static final String CONTAINS_USERNAME = "must not contain the username";

	/** In JSON text: ten lone UTF-16 surrogates, halves of characters. */
	private static final String UNPAIRED_SURROGATES = "\\ud800\\ud801\\ud802\\ud803\\ud804\\ud805\\ud806\\ud807\\ud808\\ud809";

	/**
	 * NIST SP 800-63B's normalization: one password, however the typing system encodes
	 * it.
	 */
	@Nested
	class Normalization {

		private static final String COMPOSED = Normalizer.normalize("Café-Orchard-8142-Quill", Normalizer.Form.NFC);

		private static final String DECOMPOSED = Normalizer.normalize(COMPOSED, Normalizer.Form.NFD);

		@Test
		void loginWhenPasswordTypedDecomposedThenSameAsComposed() {
			String username = TestUsers.uniqueName("nfc");
			assertThat(api.register(username, COMPOSED, TestUsers.emailOf(username)).status()).isEqualTo(201);

			assertThat(api.token(username, DECOMPOSED).status()).isEqualTo(200);
			assertThat(api.token(username, COMPOSED).status()).isEqualTo(200);
		}

		@Test
		void loginWhenDigitsTypedFullwidthThenSameAsAscii() {
			String username = TestUsers.uniqueName("fullwidth");
			assertThat(api
				.register(username, "Orchard-Quill-\uFF18\uFF11\uFF14\uFF12-Lantern", TestUsers.emailOf(username))
				.status()).isEqualTo(201);

			assertThat(api.token(username, "Orchard-Quill-8142-Lantern").status()).isEqualTo(200);
		}

		/** Hashes from before normalization hold the password as it was typed. */
		@Test
		void loginWhenHashMadeFromDecomposedPasswordBeforeNormalizationThenStillLogsIn() {
			String username = TestUsers.registered(api, "legacy-nfd");
			jdbc.update("update users set password_hash = ? where username = ?",
					new BCryptPasswordEncoder(4).encode(DECOMPOSED), username);

			assertThat(api.token(username, DECOMPOSED).status()).isEqualTo(200);
			assertThat(api.token(username, TestUsers.PASSWORD).status()).isEqualTo(401);
		}

	}

	@Nested
	class Registration {

		@ParameterizedTest
		@ValueSource(
				strings = { "password", "qwerty123", "P@ssw0rd", "iloveyou2", "12345678", "Password1", "letmein123" })
		void registerWhenPasswordCommonThen400TooCommonNamingPassword(String password) {
			Reply reply = api.register(TestUsers.uniqueName("common"), password, "common@example.com");

			assertRejectedPassword(reply, "password", TOO_COMMON);
		}

		/** Ten escaped halves of characters, which UTF-8 would store as ten "?"s. */
		@Test
		void registerWhenPasswordHasUnpairedSurrogatesThen400NotText() {
			String username = TestUsers.uniqueName("surrogates");

			Reply reply = api.postJson("/register-user", "{\"username\":\"" + username + "\",\"password\":\""
					+ UNPAIRED_SURROGATES + "\",\"email\":\"surrogates@example.com\"}");

			assertRejectedPassword(reply, "password", PasswordPolicy.NOT_TEXT);
		}

		@Test
		void registerWhenPassword123456ThenRefusedAsTooShortAtDefaultMinimum() {
			Reply reply = api.register(TestUsers.uniqueName("common"), "123456", "common@example.com");

			assertRejectedPassword(reply, "password", "must be at least 8 characters");
		}

		@Test
		void registerWhenPasswordIsUsernameWithDigitsThen400ContainsUsername() {
			String username = TestUsers.uniqueName("eligijus");

			Reply reply = api.register(username, username + "123", "eligijus@testmail.com");

			assertRejectedPassword(reply, "password", CONTAINS_USERNAME);
		}

		@Test
		void registerWhenTutorialsEligijus123ThenContainsUsername() {
			// Refused by the policy before the name is looked up, so it does not matter
			// whether another test registered "eligijus".
			Reply reply = api.register("eligijus", "eligijus123", "eligijus@testmail.com");

			assertRejectedPassword(reply, "password", CONTAINS_USERNAME);
		}

		@Test
		void registerWhenPasswordContainsUsernameInOtherCaseThen400ContainsUsername() {
			String username = TestUsers.uniqueName("Quillmaker");

			Reply reply = api.register(username, "Blue-" + username.toUpperCase() + "-Harbor", "q@example.com");

			assertRejectedPassword(reply, "password", CONTAINS_USERNAME);
		}

		@Test
		void registerWhenPasswordEqualsUsernameThen400ContainsUsername() {
			String username = TestUsers.uniqueName("Lantern-Moss");

			Reply reply = api.register(username, username, "l@example.com");

			assertRejectedPassword(reply, "password", CONTAINS_USERNAME);
		}

		@ParameterizedTest
		@ValueSource(strings = { TestUsers.PASSWORD, "copper kettle violin marsh", "Granite-Tulip-0457-Oar",
				"tangerine nebula stapler" })
		void registerWhenLongPassphraseThen201AndItLogsIn(String passphrase) {
			String username = TestUsers.uniqueName("passphrase");

			Reply reply = api.register(username, passphrase, "p@example.com");

			assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
			assertThat(reply.text("message")).isEqualTo("User created successfully");
			assertThat(api.token(username, passphrase).status()).isEqualTo(200);
		}

		@Test
		void registerWhenNoCompositionRulesThenLowercaseOnlyPassphraseAccepted() {
			// NIST SP 800-63B: no rules that demand digits, capitals or symbols.
			String username = TestUsers.uniqueName("lowercase");

			Reply reply = api.register(username, "orchard quill sunset lamp", "l@example.com");

			assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
		}

		/**
		 * The longest passwords with the most ways to split them into known pieces: the
		 * estimate's search is cut short, and its verdict still stands.
		 */
		@ParameterizedTest
		@ValueSource(strings = { "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
				"passwordpasswordpasswordpasswordpasswordpasswordpasswordpasswordpassword",
				"abababababababababababababababababababababababababababababababababababab" })
		void registerWhenPasswordIs72BytesOfRepeatsThen400TooCommon(String password) {
			Reply reply = api.register(TestUsers.uniqueName("repeats"), password, "repeats@example.com");

			assertRejectedPassword(reply, "password", TOO_COMMON);
		}

		@Test
		void registerWhenPasswordTooShortAndEmailBadThen400NamingBoth() {
			Reply reply = api.register(TestUsers.uniqueName("both"), "qwerty1", "not-an-email");

			assertThat(reply.status()).as(reply.toString()).isEqualTo(400);
			assertThat(reply.text("message")).isEqualTo("Invalid request");
			assertThat(reply.json().get("errors").propertyNames()).containsExactlyInAnyOrder("password", "email");
			assertThat(reply.json().get("errors").get("password").asString())
				.isEqualTo("must be at least 8 characters");
		}

		/**
		 * Guessability is estimated only for a request that is otherwise valid and
		 * admitted by the throttle: the estimate costs as much CPU as a hash.
		 */
		@Test
		void registerWhenPasswordCommonAndEmailBadThen400NamingEmailAndThenPassword() {
			String username = TestUsers.uniqueName("common-then");

			Reply badEmail = api.register(username, "qwerty123", "not-an-email");
			Reply goodEmail = api.register(username, "qwerty123", "c@example.com");

			assertThat(badEmail.status()).as(badEmail.toString()).isEqualTo(400);
			assertThat(badEmail.json().get("errors").propertyNames()).containsExactly("email");
			assertRejectedPassword(goodEmail, "password", TOO_COMMON);
		}

		@Test
		void registerWhenRejectedThenNoUserStored() {
			String username = TestUsers.uniqueName("notstored");

			assertThat(api.register(username, "qwerty123", "n@example.com").status()).isEqualTo(400);

			assertThat(jdbc.queryForObject("select count(*) from users where username = ?", Long.class, username))
				.isZero();
			assertThat(api.register(username, TestUsers.PASSWORD, "n@example.com").status()).isEqualTo(201);
		}

	}

	@Nested
	class ChangePassword {

		private String username;

		private String token;

		@BeforeEach
		void signIn() {
			this.username = TestUsers.registered(api, "changer");
			this.token = api.tokenFor(this.username, TestUsers.PASSWORD);
		}

		@ParameterizedTest
		@ValueSource(strings = { "password", "qwerty123", "P@ssw0rd", "iloveyou2" })
		void changePasswordWhenNewPasswordCommonThen400NamingNewPasswordAndNothingChanged(String newPassword) {
			Reply reply = changePassword(newPassword);

			assertRejectedPassword(reply, "new_password", TOO_COMMON);
			assertUnchanged(newPassword);
		}

		@Test
		void changePasswordWhenNewPasswordContainsUsernameThen400NamingNewPassword() {
			String newPassword = "My-" + this.username + "-2024";

			Reply reply = changePassword(newPassword);

			assertRejectedPassword(reply, "new_password", CONTAINS_USERNAME);
			assertUnchanged(newPassword);
		}

		@Test
		void changePasswordWhenNewPasswordHasUnpairedSurrogatesThen400NamingNewPassword() {
			Reply reply = api.postJson("/change-password", "{\"current_password\":\"" + TestUsers.PASSWORD
					+ "\",\"new_password\":\"" + UNPAIRED_SURROGATES + "\"}", this.token);

			assertRejectedPassword(reply, "new_password", PasswordPolicy.NOT_TEXT);
			assertUnchanged("??????????");
		}

		@Test
		void changePasswordWhenNewPasswordTooShortThen400NamingNewPassword() {
			Reply reply = changePassword("123456");

			assertRejectedPassword(reply, "new_password", "must be at least 8 characters");
			assertUnchanged("123456");
		}

		@Test
		void changePasswordWhenNewPassphraseThen200AndItLogsIn() {
			String newPassword = "Granite-Tulip-0457-Oar";

			Reply reply = changePassword(newPassword);

			assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
			assertThat(api.token(this.username, newPassword).status()).isEqualTo(200);
			assertThat(api.token(this.username, TestUsers.PASSWORD).status()).isEqualTo(401);
		}

		private Reply changePassword(String newPassword) {
			return api.postJson("/change-password",
					Map.of("current_password", TestUsers.PASSWORD, "new_password", newPassword), this.token);
		}

		private void assertUnchanged(String refusedPassword) {
			assertThat(api.tokenStatus(this.token).status()).as("the old token still works").isEqualTo(200);
			assertThat(api.token(this.username, TestUsers.PASSWORD).status()).isEqualTo(200);
			assertThat(api.token(this.username, refusedPassword).status()).isEqualTo(401);
		}

	}

	/** Applications of their own, for settings the shared server does not have. */
	@Nested
	class OwnConfiguration {

		private static final String OWN_SECRET = "password-policy-test-secret-long-enough-for-hs256";

		@TempDir
		Path dir;

		@Test
		void registerWhenRejectCommonOffAndMinLength6ThenTutorialsEligijus123456Works() {
			try (ConfigurableApplicationContext context = start("--password.reject_common=false",
					"--password.min_length=6")) {
				Api api = api(context);

				Reply registered = api.postJson("/register-user",
						Map.of("username", "eligijus", "password", "123456", "email", "eligijus@testmail.com"));

				assertThat(registered.status()).as(registered.toString()).isEqualTo(201);
				assertThat(registered.text("message")).isEqualTo("User created successfully");
				Reply login = api.postJson("/token", Map.of("username", "eligijus", "password", "123456"));
				assertThat(login.status()).as(login.toString()).isEqualTo(200);
				assertThat(api.tokenStatus(login.text("token")).status()).isEqualTo(200);
				// The other rules still hold.
				assertRejectedPassword(api.register("eligijus2", "eligijus2-x", "e@example.com"), "password",
						CONTAINS_USERNAME);
				assertRejectedPassword(api.register("eligijus3", "12345", "e@example.com"), "password",
						"must be at least 6 characters");
			}
		}

		@Test
		void registerWhenMinLength6AndRejectCommonOnThen123456AndPasswordAreTooCommon() {
			try (ConfigurableApplicationContext context = start("--password.min_length=6")) {
				Api api = api(context);

				assertRejectedPassword(api.register("tutorial-user", "123456", "t@example.com"), "password",
						TOO_COMMON);
				assertRejectedPassword(api.register("tutorial-user", "password", "t@example.com"), "password",
						TOO_COMMON);
				assertRejectedPassword(api.register("tutorial-user", "qwerty", "t@example.com"), "password",
						TOO_COMMON);
				assertThat(api.register("tutorial-user", "Sun-Orchard", "t@example.com").status()).isEqualTo(201);
			}
		}

		@Test
		void loginWhenBcryptCostRaisedThenHashUpgradedAtNextSuccessfulLoginOnly() {
			String username = "cost-upgrade";
			String password = TestUsers.PASSWORD;
			String cost4Hash;
			try (ConfigurableApplicationContext context = start("--password.bcrypt_cost=4")) {
				assertThat(api(context).register(username, password, "c@example.com").status()).isEqualTo(201);
				cost4Hash = hashOf(context, username);
				assertThat(cost4Hash).startsWith("$2a$04$");
			}

			try (ConfigurableApplicationContext context = start("--password.bcrypt_cost=5")) {
				Api api = api(context);

				Reply wrong = api.token(username, "Wrong-Password-0000");
				assertThat(wrong.status()).isEqualTo(401);
				assertThat(hashOf(context, username)).as("a wrong password changes nothing").isEqualTo(cost4Hash);

				long version = versionOf(context, username);
				Reply login = api.token(username, password);
				assertThat(login.status()).as(login.toString()).isEqualTo(200);
				String cost5Hash = hashOf(context, username);
				assertThat(cost5Hash).startsWith("$2a$05$").isNotEqualTo(cost4Hash);
				assertThat(versionOf(context, username)).as("no toggle at the same moment gets a 409")
					.isEqualTo(version);
				assertThat(api.tokenStatus(login.text("token")).status()).as("the token of the upgrading login")
					.isEqualTo(200);

				Reply again = api.token(username, password);
				assertThat(again.status()).isEqualTo(200);
				assertThat(hashOf(context, username)).as("no rehash at the same cost").isEqualTo(cost5Hash);
				assertThat(api.tokenStatus(login.text("token")).status()).as("an upgrade ends no token").isEqualTo(200);
			}

			try (ConfigurableApplicationContext context = start("--password.bcrypt_cost=4")) {
				assertThat(api(context).token(username, password).status()).isEqualTo(200);
				assertThat(hashOf(context, username)).as("lowering the cost never weakens a hash")
					.startsWith("$2a$05$");
			}
		}

		@Test
		void loginWhenAlgorithmSwitchedThenBothKindsVerifyAndHashMovesAtNextSuccessfulLogin() {
			String username = "algorithm-switch";
			String password = TestUsers.PASSWORD;
			String bcryptHash;
			try (ConfigurableApplicationContext context = start("--password.bcrypt_cost=4")) {
				assertThat(api(context).register(username, password, "a@example.com").status()).isEqualTo(201);
				bcryptHash = hashOf(context, username);
				assertThat(bcryptHash).startsWith("$2a$04$");
			}

			try (ConfigurableApplicationContext context = start("--password.algorithm=argon2id",
					"--password.argon2.memory_kib=7168", "--password.argon2.iterations=1")) {
				Api api = api(context);
				assertThat(api.token(username, "Wrong-Password-0000").status()).isEqualTo(401);
				assertThat(hashOf(context, username)).as("a wrong password changes nothing").isEqualTo(bcryptHash);

				assertThat(api.token(username, password).status()).as("a BCrypt hash still verifies").isEqualTo(200);
				String argon2Hash = hashOf(context, username);
				assertThat(argon2Hash).startsWith("$argon2id$v=19$m=7168,t=1,p=1$");
				assertThat(api.token(username, password).status()).isEqualTo(200);
				assertThat(hashOf(context, username)).as("no rehash once moved").isEqualTo(argon2Hash);

				assertThat(api.register("argon2-newcomer", password, "n@example.com").status()).isEqualTo(201);
				assertThat(hashOf(context, "argon2-newcomer")).startsWith("$argon2id$");
			}

			try (ConfigurableApplicationContext context = start("--password.bcrypt_cost=4")) {
				assertThat(api(context).token(username, password).status()).as("an Argon2id hash still verifies")
					.isEqualTo(200);
				assertThat(hashOf(context, username)).startsWith("$2a$04$");
			}
		}

		/**
		 * Hashes from before normalization hold the password as typed, which may fit
		 * BCrypt's 72 bytes where its normalized form does not: NFKC makes each "½" (2
		 * bytes) "1⁄2" (5). Moving such a hash keeps the form BCrypt can take.
		 */
		@ParameterizedTest
		@ValueSource(strings = { "--password.bcrypt_cost=5", "--password.algorithm=argon2id" })
		void loginWhenHashAsTypedMovesAndNormalizedFormTooLongThenStillLogsIn(String setting) {
			String username = "as-typed";
			String password = "Sun-Orchard-8142-Quill-" + "½¼¾".repeat(8) + "Q";
			assertThat(password.getBytes(StandardCharsets.UTF_8)).hasSize(72);
			String asTyped;
			try (ConfigurableApplicationContext context = start("--password.bcrypt_cost=4")) {
				assertThat(api(context).register(username, TestUsers.PASSWORD, "t@example.com").status())
					.isEqualTo(201);
				context.getBean(JdbcTemplate.class)
					.update("update users set password_hash = ? where username = ?",
							new BCryptPasswordEncoder(4).encode(password), username);
				asTyped = hashOf(context, username);
			}

			try (ConfigurableApplicationContext context = start(setting, "--password.argon2.memory_kib=7168",
					"--password.argon2.iterations=1")) {
				Api api = api(context);
				Reply moving = api.token(username, password);
				assertThat(moving.status()).as(moving.toString()).isEqualTo(200);
				assertThat(hashOf(context, username)).as("moved").isNotEqualTo(asTyped);
				assertThat(api.token(username, password).status()).as("after the move").isEqualTo(200);
			}

			try (ConfigurableApplicationContext context = start("--password.bcrypt_cost=4")) {
				assertThat(api(context).token(username, password).status()).as("and back").isEqualTo(200);
			}
		}

		/** Such a move used to store an Argon2id hash of the too-long normalized form. */
		@Test
		void loginWhenArgon2HashOfNormalizedFormLongerThan72BytesThenLogsIn() {
			String username = "long-argon2";
			String password = "Sun-Orchard-8142-Quill-" + "½¼¾".repeat(8) + "Q";
			try (ConfigurableApplicationContext context = start("--password.algorithm=argon2id",
					"--password.argon2.memory_kib=7168", "--password.argon2.iterations=1")) {
				Api api = api(context);
				assertThat(api.register(username, TestUsers.PASSWORD, "l@example.com").status()).isEqualTo(201);
				context.getBean(JdbcTemplate.class)
					.update("update users set password_hash = ? where username = ?",
							Argon2PasswordEncoder.defaultsForSpringSecurity_v5_8()
								.encode(Normalizer.normalize(password, Normalizer.Form.NFKC)),
							username);

				assertThat(api.token(username, password).status()).isEqualTo(200);
				assertThat(api.token(username, TestUsers.PASSWORD).status()).isEqualTo(401);
			}
		}

		/**
		 * A login (on another instance, or one that raised the cost) may move the stored
		 * hash to the configured algorithm while a password change hashes the new
		 * password: the password the change proved is still the current one.
		 */
		@Test
		void changePasswordWhenLoginMovesHashMeanwhileThen200AndOnlyNewPasswordWorks() throws Exception {
			String username = "rehash-race";
			String password = TestUsers.PASSWORD;
			String newPassword = "Quill-Harbor-7315-Lantern";
			BCryptPasswordEncoder cost4 = new BCryptPasswordEncoder(4);
			// At cost 14 the new password's hash takes about a second: the window.
			try (ConfigurableApplicationContext context = start("--password.bcrypt_cost=14")) {
				Api api = api(context);
				JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
				assertThat(api.register(username, password, "r@example.com").status()).isEqualTo(201);
				String token = api.tokenFor(username, password);
				String setHash = "update users set password_hash = ? where username = ?";
				jdbc.update(setHash, cost4.encode(password), username);

				CompletableFuture<Reply> change = CompletableFuture.supplyAsync(() -> api.postJson("/change-password",
						Map.of("current_password", password, "new_password", newPassword), token));
				TimeUnit.MILLISECONDS.sleep(300);
				jdbc.update(setHash, cost4.encode(password), username);
				Reply changed = change.get(60, TimeUnit.SECONDS);

				assertThat(changed.status()).as(changed.toString()).isEqualTo(200);
				assertThat(api.token(username, newPassword).status()).isEqualTo(200);
				assertThat(api.token(username, password).status()).isEqualTo(401);
			}
		}

		private ConfigurableApplicationContext start(String... settings) {
			List<String> args = new ArrayList<>(List.of("--server.port=0", "--data.dir=" + this.dir.resolve("data"),
					"--config.file=/dev/null", "--jwt.secret=" + OWN_SECRET));
			args.addAll(List.of(settings));
			return SpringApplication.run(TokenServiceApplication.class, args.toArray(String[]::new));
		}

		private static Api api(ConfigurableApplicationContext context) {
			return new Api(Integer.parseInt(context.getEnvironment().getProperty("local.server.port")));
		}

		private static long versionOf(ConfigurableApplicationContext context, String username) {
			return context.getBean(JdbcTemplate.class)
				.queryForObject("select version from users where username = ?", Long.class, username);
		}

		private static String hashOf(ConfigurableApplicationContext context, String username) {
			return context.getBean(JdbcTemplate.class)
				.queryForObject("select password_hash from users where username = ?", String.class, username);
		}

	}

	private static void assertRejectedPassword(Reply reply, String field, String message) {
		assertThat(reply.status()).as(reply.toString()).isEqualTo(400);
		assertThat(reply.isJson()).isTrue();
		assertThat(reply.text("message")).isEqualTo("Invalid request");
		assertThat(reply.json().get("errors").propertyNames()).as(reply.toString()).containsExactly(field);
		assertThat(reply.json().get("errors").get(field).asString()).isEqualTo(message);
	}

}
