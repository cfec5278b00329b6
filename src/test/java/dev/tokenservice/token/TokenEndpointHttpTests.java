package dev.tokenservice.token;

import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.tokenservice.support.Api;
import dev.tokenservice.support.HttpTestSupport;
import dev.tokenservice.support.Reply;
import dev.tokenservice.support.TestUsers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code POST /token} over HTTP in both styles, row by row of API.md. */
class TokenEndpointHttpTests extends HttpTestSupport {

	private String username;

	@BeforeEach
	void registerUser() {
		this.username = TestUsers.registered(this.api, "login");
	}

	@Nested
	class JsonStyle {

		@Test
		void tokenWhenCredentialsRightThen200WithTokenAndOAuthFieldsAndNoStore() {
			Reply reply = api.postJson("/token",
					Map.of("username", username, "password", TestUsers.PASSWORD, "email", "ignored@example.com"));

			assertThat(reply.status()).isEqualTo(200);
			assertThat(reply.text("token")).isNotBlank().isEqualTo(reply.text("access_token"));
			assertThat(reply.text("token_type")).isEqualTo("bearer");
			assertThat(reply.number("expires_in")).isEqualTo(3600);
			assertThat(reply.header("Cache-Control")).contains("no-store");
			assertThat(reply.header("Pragma")).contains("no-cache");
		}

		@Test
		void tokenWhenUsernameInOtherCaseThen200() {
			assertThat(api.token(username.toUpperCase(), TestUsers.PASSWORD).status()).isEqualTo(200);
		}

		@Test
		void tokenWhenPasswordWrongThen401IdenticalToUnknownUser() {
			Reply wrongPassword = api.token(username, "Wrong-Password-99");
			Reply unknownUser = api.token(TestUsers.uniqueName("nobody"), "Wrong-Password-99");

			assertThat(wrongPassword.status()).isEqualTo(401);
			assertThat(wrongPassword.body()).isEqualTo("{\"message\":\"Invalid credentials\"}");
			assertThat(unknownUser.status()).isEqualTo(401);
			assertThat(unknownUser.body()).isEqualTo(wrongPassword.body());
			// RFC 9110 §11.6.1: every 401 carries a challenge.
			assertThat(wrongPassword.headers().allValues("WWW-Authenticate"))
				.containsExactly("Bearer realm=\"token-service\"");
			assertThat(unknownUser.headers().allValues("WWW-Authenticate"))
				.containsExactly("Bearer realm=\"token-service\"");
		}

		@Test
		void tokenWhenUserDisabledAndPasswordRightThen403() {
			jdbc.update("update users set enabled = false where username = ?", username);

			Reply reply = api.token(username, TestUsers.PASSWORD);

			assertThat(reply.status()).isEqualTo(403);
			assertThat(reply.text("message")).isEqualTo("User is disabled");
		}

		@Test
		void tokenWhenUserDisabledAndPasswordWrongThen401() {
			jdbc.update("update users set enabled = false where username = ?", username);

			assertThat(api.token(username, "Wrong-Password-99").status()).isEqualTo(401);
		}

		@ParameterizedTest(name = "{0}")
		@CsvSource(delimiter = '|', textBlock = """
				{}                                 | username password
				{"username":"someone"}             | password
				{"password":"whatever-1"}          | username
				{"username":" ","password":""}     | username password
				""")
		void tokenWhenUsernameOrPasswordMissingOrBlankThen400NamingThem(String body, String fields) {
			Reply reply = api.postJson("/token", body);

			assertThat(reply.status()).as(reply.toString()).isEqualTo(400);
			assertThat(reply.text("message")).isEqualTo("Invalid request");
			assertThat(reply.json().get("errors").propertyNames()).as(reply.toString())
				.containsExactlyInAnyOrder(fields.split(" "))
				// The same words as every other endpoint's missing field.
				.allMatch((field) -> reply.json().get("errors").get(field).asString().equals("is required"));
		}

		@Test
		void tokenWhenPasswordOver72BytesThen401NotAnError() {
			assertThat(api.token(username, "x".repeat(200)).status()).isEqualTo(401);
		}

		@Test
		void tokenWhenUsernameIs10kBThen401() {
			assertThat(api.token("u".repeat(10_000), TestUsers.PASSWORD).status()).isEqualTo(401);
		}

	}

	@Nested
	class PasswordGrant {

		@Test
		void tokenWhenFormCredentialsRightThen200WithSameBody() {
			Reply reply = api.postForm("/token", Api.form(Map.of("grant_type", "password", "username", username,
					"password", TestUsers.PASSWORD, "scope", "read", "client_id", "some-client")));

			assertThat(reply.status()).isEqualTo(200);
			assertThat(reply.text("access_token")).isNotBlank().isEqualTo(reply.text("token"));
			assertThat(reply.text("token_type")).isEqualTo("bearer");
			assertThat(reply.number("expires_in")).isEqualTo(3600);
			assertThat(reply.header("Cache-Control")).contains("no-store");
			assertThat(reply.header("Pragma")).contains("no-cache");
		}

		@Test
		void tokenWhenFormPasswordWrongThen400InvalidGrant() {
			Reply reply = grant("password", username, "Wrong-Password-99");

			assertOAuthError(reply, "invalid_grant");
			assertThat(reply.text("error_description")).isEqualTo("The username or password is not valid");
		}

		@Test
		void tokenWhenFormUserUnknownThen400InvalidGrant() {
			assertOAuthError(grant("password", TestUsers.uniqueName("nobody"), "Wrong-Password-99"), "invalid_grant");
		}

		@Test
		void tokenWhenFormUserDisabledThen400InvalidGrant() {
			jdbc.update("update users set enabled = false where username = ?", username);

			Reply reply = grant("password", username, TestUsers.PASSWORD);

			assertOAuthError(reply, "invalid_grant");
			assertThat(reply.text("error_description")).isEqualTo("User is disabled");
		}

		@Test
		void tokenWhenFormUserDisabledAndPasswordWrongThen400InvalidGrantWithoutSaying() {
			jdbc.update("update users set enabled = false where username = ?", username);

			Reply reply = grant("password", username, "Wrong-Password-99");

			assertOAuthError(reply, "invalid_grant");
			assertThat(reply.text("error_description")).isEqualTo("The username or password is not valid");
		}

		@Test
		void tokenWhenGrantTypeNotPasswordThen400UnsupportedGrantType() {
			assertOAuthError(grant("client_credentials", username, TestUsers.PASSWORD), "unsupported_grant_type");
		}

		@ParameterizedTest
		@ValueSource(strings = { "username=a&password=b", "grant_type=password&password=b",
				"grant_type=password&username=a", "grant_type=password&username=&password=b",
				"grant_type=password&grant_type=password&username=a&password=b",
				"grant_type=password&username=a&username=b&password=c",
				"grant_type=password&username=a&password=b&password=c", "",
				"grant_type=password&username=a&password=%zz" })
		void tokenWhenFormMalformedThen400InvalidRequest(String form) {
			assertOAuthError(api.postForm("/token", form), "invalid_request");
		}

		// RFC 6749 §3.2: "Request and response parameters MUST NOT be included more than
		// once", optional ones included, even with the same value.
		@ParameterizedTest(name = "{0}")
		@ValueSource(strings = { "grant_type", "username", "password", "scope", "client_id" })
		void tokenWhenFormParameterGivenTwiceThen400InvalidRequestNamingIt(String name) {
			Map<String, String> form = everyParameter();

			Reply reply = api.postForm("/token", Api.form(form) + "&" + Api.form(Map.of(name, form.get(name))));

			assertOAuthError(reply, "invalid_request");
			assertThat(reply.text("error_description")).isEqualTo("Parameter given more than once: " + name);
		}

		// RFC 6749 §3.1: "Parameters sent without a value MUST be treated as if they
		// were omitted from the request."
		@ParameterizedTest(name = "{0}")
		@ValueSource(strings = { "grant_type", "username", "password", "scope", "client_id" })
		void tokenWhenFormParameterAlsoSentEmptyThen200AsIfTheEmptyOneWereOmitted(String name) {
			Reply reply = api.postForm("/token", name + "=&" + Api.form(everyParameter()) + "&" + name + "=");

			assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
			assertThat(reply.text("access_token")).isNotBlank().isEqualTo(reply.text("token"));
		}

		@ParameterizedTest(name = "{0}")
		@ValueSource(strings = { "grant_type", "username", "password" })
		void tokenWhenRequiredFormParameterSentOnlyEmptyThen400MissingParameter(String name) {
			Map<String, String> form = new HashMap<>(everyParameter());
			form.put(name, "");

			Reply reply = api.postForm("/token", Api.form(form) + "&" + name + "=");

			assertOAuthError(reply, "invalid_request");
			assertThat(reply.text("error_description")).isEqualTo("Missing parameter: " + name);
		}

		@Test
		void tokenWhenCredentialsInQueryStringThen400InvalidRequest() {
			Reply reply = api.postForm("/token?username=" + username + "&password=" + TestUsers.PASSWORD,
					"grant_type=password");

			assertOAuthError(reply, "invalid_request");
		}

		/**
		 * The container decodes parameter names, so an encoded name is the same
		 * parameter.
		 */
		@ParameterizedTest
		@ValueSource(strings = { "password", "passwor%64" })
		void tokenWhenPasswordAloneInQueryStringThen400InvalidRequest(String encodedName) {
			Reply reply = api.postForm("/token?" + encodedName + "=" + TestUsers.PASSWORD,
					Api.form(Map.of("grant_type", "password", "username", username)));

			assertOAuthError(reply, "invalid_request");
			assertThat(reply.text("error_description")).isEqualTo("Parameters must be sent in the request body");
		}

		private Map<String, String> everyParameter() {
			return Map.of("grant_type", "password", "username", username, "password", TestUsers.PASSWORD, "scope",
					"read", "client_id", "some-client");
		}

		private Reply grant(String grantType, String user, String password) {
			return api.postForm("/token",
					Api.form(Map.of("grant_type", grantType, "username", user, "password", password)));
		}

		private void assertOAuthError(Reply reply, String error) {
			assertThat(reply.status()).as(reply.toString()).isEqualTo(400);
			assertThat(reply.isJson()).isTrue();
			assertThat(reply.text("error")).isEqualTo(error);
			assertThat(reply.text("error_description")).isNotBlank();
			assertThat(reply.text("message")).isEqualTo(reply.text("error_description"));
		}

	}

	@Test
	void tokenWhenContentTypeNeitherJsonNorFormThen415() {
		Reply reply = this.api.post("/token", "text/plain", "username=a&password=b");

		assertThat(reply.status()).isEqualTo(415);
		assertThat(reply.isJson()).isTrue();
		assertThat(reply.text("message")).isNotBlank();
	}

	@Test
	void tokenWhenGetThen405() {
		Reply reply = this.api.get("/token");

		assertThat(reply.status()).isEqualTo(405);
		assertThat(reply.isJson()).isTrue();
	}

	@Test
	void tokenWhenVerifiedByIndependentJwtLibraryThenStandardClaims() throws Exception {
		long issuedAfter = System.currentTimeMillis() / 1000;
		String token = this.api.tokenFor(this.username, TestUsers.PASSWORD);

		SignedJWT jwt = SignedJWT.parse(token);
		assertThat(jwt.verify(new MACVerifier(SECRET.getBytes()))).isTrue();
		assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.HS256);
		assertThat(jwt.getHeader().getType().getType()).isEqualTo("JWT");
		JWTClaimsSet claims = jwt.getJWTClaimsSet();
		assertThat(claims.getClaim("sub")).isEqualTo(Long.toString(userIdOf(this.username)));
		assertThat(claims.getIssuer()).isEqualTo(ISSUER);
		assertThat(claims.getStringClaim("username")).isEqualTo(this.username);
		assertThat(claims.getLongClaim("ver")).isZero();
		assertThat(claims.getJWTID()).matches("[0-9a-f-]{36}");
		assertThat(epochSeconds(claims.getExpirationTime()) - epochSeconds(claims.getIssueTime())).isEqualTo(3600);
		assertThat(epochSeconds(claims.getIssueTime())).isBetween(issuedAfter, issuedAfter + 60);
		assertThat(jwt.getState()).isEqualTo(JWSObject.State.VERIFIED);
	}

	@Test
	void tokenWhenIssuedTwiceThenEachHasItsOwnJti() throws Exception {
		String first = this.api.tokenFor(this.username, TestUsers.PASSWORD);
		String second = this.api.tokenFor(this.username, TestUsers.PASSWORD);

		assertThat(SignedJWT.parse(first).getJWTClaimsSet().getJWTID())
			.isNotEqualTo(SignedJWT.parse(second).getJWTClaimsSet().getJWTID());
	}

	/**
	 * Unknown user and wrong password must cost the same BCrypt time, or timing reveals
	 * who exists.
	 */
	@Test
	void tokenWhenUserUnknownThenTakesAsLongAsWrongPassword() {
		String unknown = TestUsers.uniqueName("ghost");
		for (int i = 0; i < 5; i++) {
			this.api.token(this.username, "Wrong-Password-99");
			this.api.token(unknown, "Wrong-Password-99");
		}
		List<Long> wrongPassword = new ArrayList<>();
		List<Long> unknownUser = new ArrayList<>();
		for (int i = 0; i < 30; i++) {
			wrongPassword.add(timeOf(() -> this.api.token(this.username, "Wrong-Password-99")));
			unknownUser.add(timeOf(() -> this.api.token(unknown, "Wrong-Password-99")));
		}

		double ratio = (double) median(unknownUser) / median(wrongPassword);
		// Without the dummy BCrypt comparison an unknown user answers in a fraction of
		// the time (far below 0.5), while noise on a busy CI machine stays well inside.
		assertThat(ratio).as("median unknown-user time / median wrong-password time").isBetween(0.5, 2.0);
	}

	private static long timeOf(Runnable call) {
		long start = System.nanoTime();
		call.run();
		return System.nanoTime() - start;
	}

	private static long median(List<Long> values) {
		List<Long> sorted = values.stream().sorted().toList();
		return sorted.get(sorted.size() / 2);
	}

	private static long epochSeconds(Date date) {
		return date.toInstant().getEpochSecond();
	}

}
