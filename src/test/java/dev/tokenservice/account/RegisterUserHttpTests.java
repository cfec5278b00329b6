package dev.tokenservice.account;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import dev.tokenservice.support.HttpTestSupport;
import dev.tokenservice.support.Reply;
import dev.tokenservice.support.TestUsers;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code POST /register-user} over HTTP, row by row of API.md. */
class RegisterUserHttpTests extends HttpTestSupport {

	@Test
	void registerWhenValidThen201WithUserIdAndLocation() {
		String username = TestUsers.uniqueName("newcomer");

		Reply reply = this.api.register(username, TestUsers.PASSWORD, TestUsers.emailOf(username));

		assertThat(reply.status()).isEqualTo(201);
		assertThat(reply.isJson()).isTrue();
		assertThat(reply.text("message")).isEqualTo("User created successfully");
		assertThat(reply.json().get("user_id").isNumber()).isTrue();
		long userId = reply.number("user_id");
		assertThat(userId).isEqualTo(userIdOf(username));
		assertThat(reply.header("Location")).contains("/users/" + userId);
	}

	/**
	 * The edges of API.md's username rule, inside it: 3 and 64 characters, and every
	 * punctuation mark it allows.
	 */
	static Stream<String> usernamesAtTheEdgesOfTheRule() {
		// Random, as no unique suffix fits in three characters.
		String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
		Random random = new Random();
		String threeCharacters = "z" + alphabet.charAt(random.nextInt(alphabet.length()))
				+ alphabet.charAt(random.nextInt(alphabet.length()));
		String unique = TestUsers.uniqueName("edge");
		String sixtyFourCharacters = unique + "x".repeat(64 - unique.length());
		return Stream.of(threeCharacters, sixtyFourCharacters, "first.last_name@" + unique);
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("usernamesAtTheEdgesOfTheRule")
	void registerWhenUsernameAtTheEdgeOfTheRuleThen201AndLogsIn(String username) {
		Reply reply = this.api.register(username, TestUsers.PASSWORD, "edge@example.com");

		assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
		assertThat(this.jdbc.queryForObject("select username from users where id = ?", String.class,
				reply.number("user_id")))
			.isEqualTo(username);
		Reply login = this.api.token(username, TestUsers.PASSWORD);
		assertThat(login.status()).as(login.toString()).isEqualTo(200);
	}

	@Test
	void registerWhenPasswordIsExactly72BytesThen201AndEveryByteCountsAtLogin() {
		// 20 three-byte characters and 12 ASCII ones: all of BCrypt's input.
		String password = "€".repeat(20) + "Quill-7719-x";
		assertThat(password.getBytes(StandardCharsets.UTF_8)).hasSize(72);
		String username = TestUsers.uniqueName("bytes72");

		Reply reply = this.api.register(username, password, TestUsers.emailOf(username));

		assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
		assertThat(this.api.token(username, password).status()).isEqualTo(200);
		Reply lastByteWrong = this.api.token(username, password.substring(0, password.length() - 1) + "y");
		assertThat(lastByteWrong.status()).as(lastByteWrong.toString()).isEqualTo(401);
	}

	@Test
	void registerWhenUsernameHasCapitalsThenStoredInLowerCase() {
		String username = TestUsers.uniqueName("MixedCase");

		Reply reply = this.api.register(username, TestUsers.PASSWORD, "mixed@example.com");

		assertThat(reply.status()).isEqualTo(201);
		assertThat(this.jdbc.queryForObject("select username from users where id = ?", String.class,
				reply.number("user_id")))
			.isEqualTo(username.toLowerCase());
	}

	@Test
	void registerWhenUsernameTakenInAnyCaseThen409WithExistingId() {
		String username = TestUsers.uniqueName("taken");
		long existing = this.api.register(username, TestUsers.PASSWORD, "a@example.com").number("user_id");

		Reply sameCase = this.api.register(username, "Another-Password-77", "b@example.com");
		Reply otherCase = this.api.register(username.toUpperCase(), "Another-Password-77", "c@example.com");

		for (Reply reply : List.of(sameCase, otherCase)) {
			assertThat(reply.status()).isEqualTo(409);
			assertThat(reply.text("message")).isEqualTo("User already exists");
			assertThat(reply.number("user_id")).isEqualTo(existing);
		}
		assertThat(this.jdbc.queryForObject("select count(*) from users where username = ?", Integer.class,
				username.toLowerCase()))
			.isEqualTo(1);
	}

	@Test
	void registerWhenUnknownFieldsThenIgnored() {
		String username = TestUsers.uniqueName("extra");

		Reply reply = this.api.postJson("/register-user", Map.of("username", username, "password", TestUsers.PASSWORD,
				"email", "x@example.com", "is_admin", true, "role", "admin"));

		assertThat(reply.status()).isEqualTo(201);
	}

	@Test
	void registerWhenSameUsernameConcurrentlyThenExactlyOne201AndOthers409() throws Exception {
		String username = TestUsers.uniqueName("race");
		int attempts = 30;
		CountDownLatch start = new CountDownLatch(1);
		List<Callable<Reply>> calls = new ArrayList<>();
		for (int i = 0; i < attempts; i++) {
			calls.add(() -> {
				start.await();
				return this.api.register(username, TestUsers.PASSWORD, "race@example.com");
			});
		}
		List<Reply> replies = new ArrayList<>();
		ExecutorService pool = Executors.newFixedThreadPool(attempts);
		try {
			List<Future<Reply>> futures = calls.stream().map(pool::submit).toList();
			start.countDown();
			for (Future<Reply> future : futures) {
				replies.add(future.get());
			}
		}
		finally {
			pool.shutdownNow();
		}

		Map<Integer, Integer> byStatus = new HashMap<>();
		replies.forEach((reply) -> byStatus.merge(reply.status(), 1, Integer::sum));
		assertThat(byStatus).containsExactlyInAnyOrderEntriesOf(Map.of(201, 1, 409, attempts - 1));
		long id = userIdOf(username);
		assertThat(replies).allSatisfy((reply) -> assertThat(reply.number("user_id")).isEqualTo(id));
	}

	@Nested
	class WhenFieldsInvalid {

		@ParameterizedTest
		@ValueSource(strings = { "ab", ".starts-with-dot", "-dash-first", "has space", "semi;colon", "zoë", "emoji🙂x",
				"nul\u0000byte", "a2345678901234567890123456789012345678901234567890123456789012345" })
		void registerWhenUsernameBreaksTheRuleThen400NamingUsername(String username) {
			Reply reply = api.register(username, TestUsers.PASSWORD, "rule@example.com");

			assertInvalid(reply, "username");
		}

		@Test
		void registerWhenUsernameIs10kBThen400NamingUsername() {
			assertInvalid(api.register("a".repeat(10_000), TestUsers.PASSWORD, "big@example.com"), "username");
		}

		@Test
		void registerWhenPasswordShorterThanMinimumThen400SayingTheMinimum() {
			Reply reply = api.register(TestUsers.uniqueName("short"), "Abc-123", "short@example.com");

			assertInvalid(reply, "password");
			assertThat(reply.json().get("errors").get("password").asString())
				.isEqualTo("must be at least 8 characters");
		}

		@Test
		void registerWhenPasswordOver72BytesThen400RatherThanTruncated() {
			// 25 characters, but 75 bytes in UTF-8: BCrypt would silently ignore the
			// tail.
			Reply reply = api.register(TestUsers.uniqueName("long"), "€".repeat(25), "long@example.com");

			assertInvalid(reply, "password");
			assertThat(reply.json().get("errors").get("password").asString()).contains("72 bytes");
		}

		@Test
		void registerWhenPasswordEqualsUsernameIgnoringCaseThen400() {
			String username = TestUsers.uniqueName("samename");

			assertInvalid(api.register(username, username.toUpperCase(), "same@example.com"), "password");
		}

		@ParameterizedTest
		@ValueSource(strings = { "", "not-an-email", "two@@example.com", "nul\u0000@example.com" })
		void registerWhenEmailInvalidThen400NamingEmail(String email) {
			assertInvalid(api.register(TestUsers.uniqueName("mail"), TestUsers.PASSWORD, email), "email");
		}

		/** Half a character, escaped in JSON: PostgreSQL would have stored a "?". */
		@Test
		void registerWhenEmailHasUnpairedSurrogateThen400NamingEmail() {
			String username = TestUsers.uniqueName("mail");

			Reply reply = api.postJson("/register-user", "{\"username\":\"" + username + "\",\"password\":\""
					+ TestUsers.PASSWORD + "\",\"email\":\"half\\ud800@example.com\"}");

			assertInvalid(reply, "email");
		}

		@Test
		void registerWhenEmailLongerThan254Then400NamingEmail() {
			String email = "a".repeat(60) + "@" + "b".repeat(60) + "." + "c".repeat(60) + "." + "d".repeat(60)
					+ ".example.com";
			assertThat(email).hasSizeGreaterThan(254);

			assertInvalid(api.register(TestUsers.uniqueName("mail"), TestUsers.PASSWORD, email), "email");
		}

		@Test
		void registerWhenEverythingMissingThen400NamingEveryField() {
			Reply reply = api.postJson("/register-user", "{}");

			assertThat(reply.status()).isEqualTo(400);
			assertThat(reply.json().get("errors").propertyNames()).containsExactlyInAnyOrder("username", "password",
					"email");
		}

		@Test
		void registerWhenTutorialsPasswordUnderDefaultsThen400NamingPassword() {
			Reply reply = api.register(TestUsers.uniqueName("eligijus"), "123456", "eligijus@testmail.com");

			assertInvalid(reply, "password");
		}

		@Test
		void registerWhenUsernameIsANumberThen400WrongType() {
			Reply reply = api.postJson("/register-user",
					"{\"username\":12345,\"password\":\"" + TestUsers.PASSWORD + "\",\"email\":\"n@example.com\"}");

			assertInvalid(reply, "username");
		}

		private void assertInvalid(Reply reply, String field) {
			assertThat(reply.status()).as(reply.toString()).isEqualTo(400);
			assertThat(reply.isJson()).isTrue();
			assertThat(reply.text("message")).isEqualTo("Invalid request");
			assertThat(reply.json().get("errors").has(field)).as(reply.toString()).isTrue();
		}

	}

}
