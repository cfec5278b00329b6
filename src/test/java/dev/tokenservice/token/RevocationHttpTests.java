package dev.tokenservice.token;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.Map;
import java.util.UUID;

import com.nimbusds.jose.JWSAlgorithm;
import dev.tokenservice.support.Api;
import dev.tokenservice.support.HttpTestSupport;
import dev.tokenservice.support.Reply;
import dev.tokenservice.support.TestTokens;
import dev.tokenservice.support.TestUsers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code POST /revoke} (RFC 7009) over HTTP: who may revoke, what a revoked token is
 * afterwards, and how the revocation records are kept and purged.
 */
class RevocationHttpTests extends HttpTestSupport {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@Autowired
	private TokenRevocations revocations;

	private String username;

	private long userId;

	/** The token the tests revoke. */
	private String token;

	/** Another token of the same user, which must outlive {@link #token}'s revocation. */
	private String otherToken;

	@BeforeEach
	void issueTokens() {
		this.username = TestUsers.registered(this.api, "revoke");
		this.userId = userIdOf(this.username);
		this.token = this.api.tokenFor(this.username, TestUsers.PASSWORD);
		this.otherToken = this.api.tokenFor(this.username, TestUsers.PASSWORD);
	}

	@Nested
	class WhoMayRevoke {

		@Test
		void revokeWhenBearerIsSameTokenThen200EmptyObjectAndTokenInvalidEverywhere() {
			Reply reply = revoke(token, token);

			assertEmptyObject(reply);
			assertRevoked(token);
			assertStillValid(otherToken);
		}

		@Test
		void revokeWhenBearerIsAnotherTokenOfSameUserThen200AndOnlyThatTokenInvalid() {
			Reply reply = revoke(token, otherToken);

			assertEmptyObject(reply);
			assertRevoked(token);
			assertStillValid(otherToken);
		}

		@Test
		void revokeWhenBearerIsAdminThen200AndTokenInvalid() {
			Reply reply = revoke(token, adminToken());

			assertEmptyObject(reply);
			assertRevoked(token);
			assertStillValid(otherToken);
		}

		/** What OAuth client libraries send: the token, and no bearer token. */
		@Test
		void revokeWhenNoCredentialsThen200AndOnlyThatTokenInvalid() {
			assertEmptyObject(api.postForm("/revoke", tokenForm(token), null));

			assertRevoked(token);
			assertStillValid(otherToken);
		}

		/** authlib's and requests-oauthlib's default: HTTP Basic of a client id. */
		@Test
		void revokeWhenBasicCredentialsOfAClientThen200AndTokenInvalid() {
			String basic = "Basic " + Base64.getEncoder().encodeToString("some-client:".getBytes());

			assertEmptyObject(api.postForm("/revoke", tokenForm(token), basic));

			assertRevoked(token);
		}

		@Test
		void revokeWhenNoCredentialsAndTokenGarbageThen200EmptyObject() {
			assertEmptyObject(api.postForm("/revoke", tokenForm(token + "x"), null));

			assertStillValid(token);
		}

		@Test
		void revokeWhenBearerInvalidThen401InvalidTokenAndTokenStaysValid() {
			Reply reply = api.postForm("/revoke", tokenForm(token), Api.bearer("not-a-token"));

			assertThat(reply.status()).as(reply.toString()).isEqualTo(401);
			assertThat(reply.isJson()).isTrue();
			assertThat(reply.text("message")).isEqualTo("Invalid token");
			assertBearerChallenge(reply);
			assertStillValid(token);
		}

		/** Holding the token is what counts, not whose bearer token comes with it. */
		@Test
		void revokeWhenBearerOfAnotherNonAdminUserThen200AndOnlyTheRevokedTokenInvalid() {
			String stranger = TestUsers.registered(api, "stranger");
			String strangerToken = api.tokenFor(stranger, TestUsers.PASSWORD);

			assertEmptyObject(revoke(token, strangerToken));

			assertRevoked(token);
			assertStillValid(strangerToken);
		}

	}

	@Nested
	class WhateverTheToken {

		@Test
		void revokeWhenRevokedTwiceThen200BothTimes() {
			assertEmptyObject(revoke(token, otherToken));
			assertEmptyObject(revoke(token, otherToken));

			assertRevoked(token);
			assertStillValid(otherToken);
		}

		@ParameterizedTest
		@ValueSource(strings = { "not-a-token", "a.b.c", "eyJhbGciOiJIUzI1NiJ9", "null" })
		void revokeWhenTokenGarbageThen200EmptyObject(String garbage) {
			assertEmptyObject(revoke(garbage, token));

			assertStillValid(token);
		}

		@Test
		void revokeWhenTokenExpiredThen200EmptyObject() {
			String expired = TestTokens.signWith(userId, username,
					(claims) -> claims.issueTime(Date.from(Instant.now().minusSeconds(7200)))
						.expirationTime(Date.from(Instant.now().minusSeconds(60))));

			assertEmptyObject(revoke(expired, token));

			assertStillValid(token);
		}

		@Test
		void revokeWhenTokenSignedWithAnotherSecretThen200EmptyObject() {
			String forged = TestTokens.sign(TestTokens.claimsFor(userId, username).build(), JWSAlgorithm.HS256,
					"another-secret-that-is-long-enough-for-hs256");

			assertEmptyObject(revoke(forged, token));

			assertStillValid(token);
		}

		@ParameterizedTest
		@ValueSource(strings = { "access_token", "refresh_token" })
		void revokeWhenTokenTypeHintGivenThen200AndTokenInvalid(String hint) {
			String form = Api.form(Map.of("token", token, "token_type_hint", hint));

			assertEmptyObject(api.postForm("/revoke", form, Api.bearer(otherToken)));

			assertRevoked(token);
			assertStillValid(otherToken);
		}

	}

	@Nested
	class MalformedRequests {

		/**
		 * RFC 7009 §2.1: a form body parameter; a token in a URL reaches proxies' logs.
		 */
		@ParameterizedTest
		@ValueSource(strings = { "token", "%74oken" })
		void revokeWhenTokenInQueryStringThen400InvalidRequestAndTokenStaysValid(String encodedName) {
			Reply reply = api.postForm("/revoke?" + encodedName + "=" + token, "", null);

			assertThat(reply.status()).as(reply.toString()).isEqualTo(400);
			assertThat(reply.text("error")).isEqualTo("invalid_request");
			assertThat(reply.text("error_description")).isEqualTo("Parameters must be sent in the request body");
			assertStillValid(token);
		}

		@Test
		void revokeWhenTokenParameterMissingThen400InvalidRequest() {
			Reply reply = api.postForm("/revoke", Api.form(Map.of("token_type_hint", "access_token")),
					Api.bearer(token));

			assertThat(reply.status()).as(reply.toString()).isEqualTo(400);
			assertThat(reply.isJson()).isTrue();
			assertThat(reply.text("error")).isEqualTo("invalid_request");
			assertThat(reply.text("message")).isNotBlank();
			assertStillValid(token);
		}

		@Test
		void revokeWhenTokenEmptyThen400InvalidRequestAsIfOmitted() {
			// RFC 6749 §3.2: "Parameters sent without a value MUST be treated as if they
			// were omitted from the request."
			Reply reply = api.postForm("/revoke", tokenForm(""), Api.bearer(token));

			assertThat(reply.status()).as(reply.toString()).isEqualTo(400);
			assertThat(reply.isJson()).isTrue();
			assertThat(reply.text("error")).isEqualTo("invalid_request");
			assertStillValid(token);
		}

		// RFC 6749 §3.1, whose form conventions RFC 7009 reuses: "Parameters sent
		// without a value MUST be treated as if they were omitted from the request."
		@ParameterizedTest
		@ValueSource(strings = { "token={token}&token=", "token=&token={token}",
				"token={token}&token_type_hint=&token_type_hint=access_token" })
		void revokeWhenParameterAlsoSentEmptyThen200AsIfTheEmptyOneWereOmitted(String form) {
			Reply reply = api.postForm("/revoke", form.replace("{token}", token), Api.bearer(otherToken));

			assertEmptyObject(reply);
			assertRevoked(token);
			assertStillValid(otherToken);
		}

		/**
		 * RFC 6749 §3.2: "Request and response parameters MUST NOT be included more than
		 * once."
		 */
		@ParameterizedTest
		@ValueSource(strings = { "token={token}&token={token}",
				"token={token}&token_type_hint=access_token&token_type_hint=refresh_token" })
		void revokeWhenParameterGivenTwiceThen400InvalidRequestAndTokenStaysValid(String form) {
			Reply reply = api.postForm("/revoke", form.replace("{token}", token), Api.bearer(otherToken));

			assertThat(reply.status()).as(reply.toString()).isEqualTo(400);
			assertThat(reply.text("error")).isEqualTo("invalid_request");
			assertStillValid(token);
		}

		@Test
		void revokeWhenJsonBodyThen415AndTokenStaysValid() {
			Reply reply = api.postJson("/revoke", Map.of("token", token), otherToken);

			assertThat(reply.status()).as(reply.toString()).isEqualTo(415);
			assertThat(reply.isJson()).isTrue();
			assertThat(reply.text("message")).isNotBlank();
			assertStillValid(token);
		}

		@Test
		void getRevokeThen405() {
			Reply reply = api.withToken("GET", "/revoke", token);

			assertThat(reply.status()).as(reply.toString()).isEqualTo(405);
			assertThat(reply.isJson()).isTrue();
			assertThat(reply.text("message")).isNotBlank();
			assertStillValid(token);
		}

	}

	@Nested
	class RevocationRecords {

		@Test
		void revokeThenRecordHoldsJtiUserAndExpiry() {
			JsonNode claims = payloadOf(token);
			String jti = claims.get("jti").asString();

			assertEmptyObject(revoke(token, otherToken));

			Map<String, Object> row = jdbc.queryForMap("select user_id, expires_at from revoked_tokens where jti = ?",
					jti);
			assertThat(((Number) row.get("user_id")).longValue()).isEqualTo(userId);
			assertThat(expiresAt(jti)).isEqualTo(Instant.ofEpochSecond(claims.get("exp").asLong()));
		}

		@Test
		void purgeExpiredWhenRecordPastExpiryThenRemovedAndLiveRecordKept() {
			String expiredJti = UUID.randomUUID().toString();
			String liveJti = UUID.randomUUID().toString();
			insertRecord(expiredJti, Instant.now().minusSeconds(60));
			insertRecord(liveJti, Instant.now().plusSeconds(3600));

			long removed = revocations.purgeExpired();

			assertThat(removed).isGreaterThanOrEqualTo(1);
			assertThat(countRecords(expiredJti)).isZero();
			assertThat(countRecords(liveJti)).isOne();
		}

		@Test
		void purgeExpiredWhenTokenRevokedAndUnexpiredThenStillRevoked() {
			String jti = payloadOf(token).get("jti").asString();
			assertEmptyObject(revoke(token, otherToken));

			revocations.purgeExpired();

			assertThat(countRecords(jti)).isOne();
			assertRevoked(token);
		}

		private void insertRecord(String jti, Instant expiresAt) {
			jdbc.update("insert into revoked_tokens (jti, user_id, expires_at) values (?, ?, ?)", jti, userId,
					Timestamp.from(expiresAt));
		}

		private int countRecords(String jti) {
			Integer count = jdbc.queryForObject("select count(*) from revoked_tokens where jti = ?", Integer.class,
					jti);
			return (count != null) ? count : -1;
		}

		private Instant expiresAt(String jti) {
			Timestamp expiresAt = jdbc.queryForObject("select expires_at from revoked_tokens where jti = ?",
					Timestamp.class, jti);
			return (expiresAt != null) ? expiresAt.toInstant() : Instant.EPOCH;
		}

	}

	private Reply revoke(String revoked, String bearerToken) {
		return this.api.postForm("/revoke", tokenForm(revoked), Api.bearer(bearerToken));
	}

	private static String tokenForm(String token) {
		return Api.form(Map.of("token", token));
	}

	private static JsonNode payloadOf(String token) {
		return JSON.readTree(Base64.getUrlDecoder().decode(token.split("\\.")[1]));
	}

	private static void assertEmptyObject(Reply reply) {
		assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
		assertThat(reply.isJson()).isTrue();
		assertThat(reply.json().isObject()).as(reply.body()).isTrue();
		assertThat(reply.json().size()).as(reply.body()).isZero();
	}

	/**
	 * A revoked token is refused by /token_status in both forms and as a bearer token.
	 */
	private void assertRevoked(String revoked) {
		Reply byPath = this.api.tokenStatus(revoked);
		assertThat(byPath.status()).as(byPath.toString()).isEqualTo(401);
		assertThat(byPath.body()).isEqualTo("{\"message\":\"Invalid token\"}");

		Reply byHeader = this.api.get("/token_status", "Authorization", Api.bearer(revoked));
		assertThat(byHeader.status()).as(byHeader.toString()).isEqualTo(401);
		assertThat(byHeader.body()).isEqualTo("{\"message\":\"Invalid token\"}");

		Reply me = this.api.withToken("GET", "/me", revoked);
		assertThat(me.status()).as(me.toString()).isEqualTo(401);
		assertThat(me.isJson()).isTrue();
		assertThat(me.text("message")).isEqualTo("Invalid token");
		assertBearerChallenge(me);
	}

	private void assertStillValid(String valid) {
		Reply status = this.api.tokenStatus(valid);
		assertThat(status.status()).as(status.toString()).isEqualTo(200);

		Reply me = this.api.withToken("GET", "/me", valid);
		assertThat(me.status()).as(me.toString()).isEqualTo(200);
	}

	private static void assertBearerChallenge(Reply reply) {
		assertThat(reply.header("WWW-Authenticate")).hasValueSatisfying((challenge) -> {
			assertThat(challenge).startsWith("Bearer");
			assertThat(challenge).contains("error=\"invalid_token\"");
		});
	}

}
