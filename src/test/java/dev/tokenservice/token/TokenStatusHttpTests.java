package dev.tokenservice.token;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.nimbusds.jose.JWSAlgorithm;
import dev.tokenservice.support.HttpTestSupport;
import dev.tokenservice.support.Reply;
import dev.tokenservice.support.TestTokens;
import dev.tokenservice.support.TestUsers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code GET /token_status} over HTTP: what is valid, and every way a token is not. */
class TokenStatusHttpTests extends HttpTestSupport {

	private static final Pattern CONTENT_LENGTH = Pattern.compile("(?i)\r\nContent-Length: (\\d+)\r\n");

	private String username;

	private long userId;

	private String token;

	@BeforeEach
	void issueToken() {
		this.username = TestUsers.registered(this.api, "status");
		this.userId = userIdOf(this.username);
		this.token = this.api.tokenFor(this.username, TestUsers.PASSWORD);
	}

	@Test
	void statusWhenTokenValidThen200WithHolderAndExpiry() {
		Reply reply = this.api.tokenStatus(this.token);

		assertThat(reply.status()).isEqualTo(200);
		assertThat(reply.text("message")).isEqualTo("Token is valid");
		assertThat(reply.number("user_id")).isEqualTo(this.userId);
		assertThat(reply.json().get("user_id").isNumber()).isTrue();
		assertThat(reply.text("username")).isEqualTo(this.username);
		Instant expiresAt = Instant.parse(reply.text("expires_at"));
		assertThat(Duration.between(Instant.now(), expiresAt)).isBetween(Duration.ofMinutes(59),
				Duration.ofMinutes(60));
		assertThat(reply.text("expires_at")).endsWith("Z");
		assertThat(reply.number("expires_in")).isBetween(3500L, 3600L);
	}

	@Test
	void statusWhenBearerHeaderThen200() {
		Reply reply = this.api.get("/token_status", "Authorization", "Bearer " + this.token);

		assertThat(reply.status()).isEqualTo(200);
		assertThat(reply.number("user_id")).isEqualTo(this.userId);
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "Bearer", "Bearer ", "Basic dXNlcjpwYXNz", "Token abc" })
	void statusWhenBearerHeaderMissingOrOtherSchemeThen401(String authorization) {
		Reply reply = authorization.isEmpty() ? this.api.get("/token_status")
				: this.api.get("/token_status", "Authorization", authorization);

		assertInvalid(reply);
	}

	/**
	 * Resource servers check tokens over pooled connections: one connection serves 1,000
	 * checks (Tomcat's default is 100) and the last answer asks the client to reconnect.
	 */
	@Test
	void statusWhenChecksRepeatOnOneConnectionThenItStaysOpenFor1000() throws IOException {
		byte[] request = ("GET /token_status/" + this.token + " HTTP/1.1\r\nHost: localhost\r\n\r\n")
			.getBytes(StandardCharsets.ISO_8859_1);
		try (Socket socket = new Socket("127.0.0.1", this.api.port())) {
			socket.setSoTimeout(10_000);
			InputStream in = new BufferedInputStream(socket.getInputStream());
			for (int i = 1; i <= 1000; i++) {
				socket.getOutputStream().write(request);
				String head = readHead(in);
				assertThat(head).as("response %d", i).startsWith("HTTP/1.1 200");
				assertThat(head.contains("\r\nConnection: close\r\n")).as("response %d closes", i).isEqualTo(i == 1000);
				Matcher length = CONTENT_LENGTH.matcher(head);
				assertThat(length.find()).as("response %d has a Content-Length", i).isTrue();
				in.skipNBytes(Long.parseLong(length.group(1)));
			}
			assertThat(in.read()).as("the server closed the connection").isEqualTo(-1);
		}
	}

	private static String readHead(InputStream in) throws IOException {
		StringBuilder head = new StringBuilder();
		while (head.length() < 4 || !head.substring(head.length() - 4).equals("\r\n\r\n")) {
			int next = in.read();
			assertThat(next).as("the response ended inside its headers: %s", head).isNotEqualTo(-1);
			head.append((char) next);
		}
		return head.toString();
	}

	/**
	 * Changes this instance did not make (another instance's, or an operator's SQL): the
	 * user deleted, disabled, or moved past the token's version.
	 */
	static Stream<String> changesMadeInTheDatabase() {
		return Stream.of("delete from users where id = ?", "update users set enabled = false where id = ?",
				"update users set token_version = token_version + 1 where id = ?");
	}

	@ParameterizedTest
	@MethodSource("changesMadeInTheDatabase")
	void statusWhenUserChangedInDatabaseThen401(String change) {
		this.jdbc.update(change, this.userId);

		assertInvalid(this.api.tokenStatus(this.token));
	}

	/** A check's answer is remembered only briefly, so such a change shows within it. */
	@ParameterizedTest
	@MethodSource("changesMadeInTheDatabase")
	void statusWhenCheckedThenChangedInDatabaseThen401WithinRememberedTime(String change) {
		assertThat(this.api.tokenStatus(this.token).status()).isEqualTo(200);
		this.jdbc.update(change, this.userId);

		// The answer may be remembered this long; the two seconds more are for a busy
		// machine, not for the service.
		await().atMost(TokenStateQuery.REMEMBERED_FOR.plusSeconds(2))
			.pollInterval(Duration.ofMillis(20))
			.until(() -> this.api.tokenStatus(this.token).status() == 401);
		assertInvalid(this.api.tokenStatus(this.token));
		assertThat(this.api.get("/token_status", "Authorization", "Bearer " + this.token).status()).isEqualTo(401);
	}

	@Nested
	class WhenTokenMangled {

		@Test
		void statusWhenLastCharacterRemovedThen401() {
			assertInvalid(api.tokenStatus(token.substring(0, token.length() - 1)));
		}

		@Test
		void statusWhenPayloadTamperedThen401() {
			String[] parts = token.split("\\.");
			String otherPayload = TestTokens.signWith(userId + 1, username, (claims) -> {
			}).split("\\.")[1];

			assertInvalid(api.tokenStatus(parts[0] + "." + otherPayload + "." + parts[2]));
		}

		@ParameterizedTest
		@ValueSource(strings = { "=", "==", "%3D", "%20", "+", "%2B", "%09" })
		void statusWhenNonCanonicalCharacterAppendedThen401(String suffix) {
			assertInvalid(api.tokenStatus(token + suffix));
		}

		/**
		 * A token read with its line end, or cut at a semicolon: Spring Security's
		 * firewall refuses these paths before the controller, with the same 401.
		 */
		@ParameterizedTest
		@ValueSource(strings = { "%0A", "%0D%0A", "%0D", ";", ";x=1", "%3B", "%25" })
		void statusWhenCharacterTheFirewallRefusesAppendedThen401(String suffix) {
			assertInvalid(api.tokenStatus(token + suffix));
		}

		@Test
		void statusWhenPaddedSegmentsThen401() {
			String[] parts = token.split("\\.");

			assertInvalid(api.tokenStatus(parts[0] + "%3D." + parts[1] + "." + parts[2]));
		}

		@ParameterizedTest
		@ValueSource(strings = { "not-a-token", "a.b.c", "a.b", "....", "eyJhbGciOiJIUzI1NiJ9", "null" })
		void statusWhenGarbageThen401(String garbage) {
			assertInvalid(api.tokenStatus(garbage));
		}

		@Test
		void statusWhenEmptyThen401() {
			assertInvalid(api.tokenStatus(""));
		}

		@Test
		void statusWhenContainsSlashThen401() {
			assertInvalid(api.tokenStatus(token.replaceFirst("\\.", "/")));
		}

		@Test
		void statusWhenOver8KiBThen401() {
			String huge = TestTokens.signWith(userId, username, (claims) -> claims.claim("padding", "x".repeat(9000)));

			assertThat(huge.length()).isGreaterThan(8192);
			assertInvalid(api.get("/token_status", "Authorization", "Bearer " + huge));
			assertInvalid(api.tokenStatus(huge));
		}

	}

	/**
	 * Well-formed tokens that are still not good; RFC 8725's attacks on the header and
	 * claims are in {@link JwtAttackHttpTests}.
	 */
	@Nested
	class WhenTokenCrafted {

		@Test
		void statusWhenCraftedCorrectlyWithTheSecretThen200() {
			// The control case: the crafting below is right, so each failure is due to
			// its one change.
			assertThat(api.tokenStatus(TestTokens.signWith(userId, username, (claims) -> {
			})).status()).isEqualTo(200);
		}

		@Test
		void statusWhenSignedWithAnotherSecretThen401() {
			String forged = TestTokens.sign(TestTokens.claimsFor(userId, username).build(), JWSAlgorithm.HS256,
					"another-secret-that-is-long-enough-for-hs256");

			assertInvalid(api.tokenStatus(forged));
		}

		@Test
		void statusWhenExpiredThen401() {
			assertInvalid(api.tokenStatus(TestTokens.signWith(userId, username,
					(claims) -> claims.issueTime(Date.from(Instant.now().minusSeconds(7200)))
						.expirationTime(Date.from(Instant.now().minusSeconds(60))))));
		}

		/**
		 * A token already checked (and so remembered as well-signed) still dies at its
		 * exp.
		 */
		@Test
		void statusWhenCheckedBeforeAndThenExpiredThen401() throws InterruptedException {
			// Long enough for both checks to answer before it expires, even on a busy
			// machine.
			Instant expiry = Instant.now().plusSeconds(5);
			String token = TestTokens.signWith(userId, username, (claims) -> claims.expirationTime(Date.from(expiry)));
			assertThat(api.tokenStatus(token).status()).isEqualTo(200);
			assertThat(api.tokenStatus(token).status()).isEqualTo(200);
			Thread.sleep(Duration.between(Instant.now(), expiry).plusMillis(1100).toMillis());
			assertInvalid(api.tokenStatus(token));
		}

		@ParameterizedTest
		@ValueSource(strings = { "abc", "-1", "0", "1.5", "99999999999999999999" })
		void statusWhenSubjectNotAUserIdThen401(String subject) {
			assertInvalid(api.tokenStatus(TestTokens.signWith(userId, username, (claims) -> claims.subject(subject))));
		}

		@Test
		void statusWhenUserNeverExistedThen401() {
			assertInvalid(api.tokenStatus(TestTokens.signWith(Long.MAX_VALUE / 2, username, (claims) -> {
			})));
		}

		@Test
		void statusWhenVersionMissingThen401() {
			assertInvalid(
					api.tokenStatus(TestTokens.signWith(userId, username, (claims) -> claims.claim("ver", null))));
		}

	}

	/** RFC 9110 §11.6.1: every 401 carries a challenge; RFC 6750 §3 gives Bearer's. */
	private static void assertInvalid(Reply reply) {
		assertThat(reply.status()).as(reply.toString()).isEqualTo(401);
		assertThat(reply.body()).isEqualTo("{\"message\":\"Invalid token\"}");
		assertThat(reply.isJson()).isTrue();
		assertThat(reply.headers().allValues("WWW-Authenticate")).as(reply.headers().toString())
			.containsExactly(
					"Bearer realm=\"token-service\", error=\"invalid_token\", error_description=\"Invalid token\"");
	}

}
