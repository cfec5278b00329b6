package dev.tokenservice.token;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.Map;
import java.util.Set;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.TokenIntrospectionRequest;
import com.nimbusds.oauth2.sdk.TokenIntrospectionResponse;
import com.nimbusds.oauth2.sdk.TokenIntrospectionSuccessResponse;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.ClientSecretPost;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Subject;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import dev.tokenservice.support.Api;
import dev.tokenservice.support.HttpTestSupport;
import dev.tokenservice.support.Reply;
import dev.tokenservice.support.SeparateService;
import dev.tokenservice.support.TestTokens;
import dev.tokenservice.support.TestUsers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code POST /introspect} (RFC 7662) over HTTP: who may ask, what an active token looks
 * like, and that every token {@code /token_status} refuses is inactive here too.
 */
class IntrospectionHttpTests extends HttpTestSupport {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final String CLIENT = Api.basic(INTROSPECTION_CLIENT_ID, INTROSPECTION_CLIENT_SECRET);

	private String username;

	private long userId;

	private String token;

	@BeforeEach
	void issueToken() {
		this.username = TestUsers.registered(this.api, "introspect");
		this.userId = userIdOf(this.username);
		this.token = this.api.tokenFor(this.username, TestUsers.PASSWORD);
	}

	@Nested
	class ActiveToken {

		@Test
		void introspectWhenBasicClientAndValidTokenThen200ActiveWithClaimsAndNoStore() {
			JsonNode claims = payloadOf(token);

			Reply reply = introspect(token, CLIENT);

			assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
			assertThat(reply.isJson()).isTrue();
			assertThat(reply.header("Cache-Control"))
				.hasValueSatisfying((cacheControl) -> assertThat(cacheControl).contains("no-store"));
			JsonNode body = reply.json();
			assertThat(Set.copyOf(body.propertyNames())).containsExactlyInAnyOrder("active", "sub", "username", "exp",
					"iat", "jti", "iss", "token_type");
			assertThat(body.get("active").isBoolean()).isTrue();
			assertThat(body.get("active").booleanValue()).isTrue();
			assertThat(body.get("sub").isString()).as("sub is a string").isTrue();
			assertThat(body.get("sub").asString()).isEqualTo(Long.toString(userId))
				.isEqualTo(claims.get("sub").asString());
			assertThat(body.get("username").asString()).isEqualTo(username);
			assertThat(body.get("exp").isNumber()).as("exp is a number").isTrue();
			assertThat(body.get("exp").asLong()).isEqualTo(claims.get("exp").asLong());
			assertThat(body.get("iat").isNumber()).as("iat is a number").isTrue();
			assertThat(body.get("iat").asLong()).isEqualTo(claims.get("iat").asLong());
			assertThat(body.get("jti").asString()).isEqualTo(claims.get("jti").asString());
			assertThat(body.get("iss").asString()).isEqualTo(ISSUER);
			assertThat(body.get("token_type").asString()).isEqualTo("Bearer");
		}

		/** The path is matched decoded, by the client filter as by the controller. */
		@Test
		void introspectWhenPathPercentEncodedThenBasicClientStillAccepted() {
			Reply reply = api.postForm("/%69ntrospect", Api.form(Map.of("token", token)), CLIENT);

			assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
			assertThat(reply.json().get("active").booleanValue()).isTrue();
		}

		@Test
		void introspectWhenAdminBearerThen200Active() {
			Reply reply = introspect(token, Api.bearer(adminToken()));

			assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
			assertThat(reply.json().get("active").booleanValue()).isTrue();
			assertThat(reply.text("sub")).isEqualTo(Long.toString(userId));
			assertThat(reply.text("username")).isEqualTo(username);
		}

		@Test
		void introspectWhenNimbusClientThenActiveWithSubjectUsernameAndExpiry() throws IOException, ParseException {
			JsonNode claims = payloadOf(token);

			TokenIntrospectionResponse response = nimbusIntrospect(token);

			assertThat(response.indicatesSuccess()).isTrue();
			TokenIntrospectionSuccessResponse success = response.toSuccessResponse();
			assertThat(success.isActive()).isTrue();
			assertThat(success.getSubject()).isEqualTo(new Subject(Long.toString(userId)));
			assertThat(success.getUsername()).isEqualTo(username);
			assertThat(success.getExpirationTime()).isEqualTo(new Date(claims.get("exp").asLong() * 1000));
		}

		@Test
		void introspectWhenNimbusClientAndTokenRevokedThenInactive() throws IOException, ParseException {
			Reply revoked = api.postForm("/revoke", Api.form(Map.of("token", token)), Api.bearer(token));
			assertThat(revoked.status()).as(revoked.toString()).isEqualTo(200);

			TokenIntrospectionResponse response = nimbusIntrospect(token);

			assertThat(response.indicatesSuccess()).isTrue();
			assertThat(response.toSuccessResponse().isActive()).isFalse();
		}

		private TokenIntrospectionResponse nimbusIntrospect(String introspected) throws IOException, ParseException {
			URI endpoint = URI.create("http://127.0.0.1:" + api.port() + "/introspect");
			ClientSecretBasic client = new ClientSecretBasic(new ClientID(INTROSPECTION_CLIENT_ID),
					new Secret(INTROSPECTION_CLIENT_SECRET));
			HTTPResponse httpResponse = new TokenIntrospectionRequest(endpoint, client,
					new BearerAccessToken(introspected))
				.toHTTPRequest()
				.send();
			return TokenIntrospectionResponse.parse(httpResponse);
		}

	}

	@Nested
	class Caller {

		/** Both schemes a caller may use, Bearer first, however the path is spelled. */
		@ParameterizedTest
		@ValueSource(strings = { "/introspect", "/%69ntrospect" })
		void introspectWhenNoCredentialsThen401WithBearerThenBasicChallenge(String path) {
			Reply reply = api.postForm(path, Api.form(Map.of("token", token)), null);

			assertUnauthorizedWithBearerChallengeFirst(reply);
			assertThat(reply.headers().allValues("WWW-Authenticate")).as(reply.headers().toString())
				.hasSize(2)
				.last()
				.satisfies((challenge) -> assertThat(challenge).startsWith("Basic realm="));
		}

		/**
		 * A client that announces a longer body than it sends and stops: the container
		 * closes the connection without an answer, and nothing is logged as an error.
		 */
		@ParameterizedTest
		@ValueSource(strings = { "", "Authorization: Basic d3Jvbmc6d3Jvbmc=\r\n" })
		@ExtendWith(OutputCaptureExtension.class)
		void introspectWhenBodyCutShortThenConnectionClosedWithoutErrorLogged(String authorization,
				CapturedOutput output) {
			String response = api.raw("POST /introspect HTTP/1.1\r\nHost: localhost\r\n"
					+ "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 2000\r\n" + authorization
					+ "\r\ntoken=" + token);

			assertThat(response).isEmpty();
			assertThat(output).doesNotContain("ERROR").doesNotContain("Exception");
		}

		@Test
		void introspectWhenClientSecretWrongThen401InvalidClientWithBasicChallenge() {
			assertInvalidClient(introspect(token, Api.basic(INTROSPECTION_CLIENT_ID, "wrong-secret")));
		}

		@Test
		void introspectWhenClientUnknownThen401InvalidClientWithBasicChallenge() {
			assertInvalidClient(introspect(token, Api.basic("unknown-client", INTROSPECTION_CLIENT_SECRET)));
		}

		/**
		 * RFC 6749 §2.3.1's other method, openid-client's default (client_secret_post).
		 */
		@Test
		void introspectWhenNimbusSendsClientCredentialsInFormBodyThen200Active() throws IOException, ParseException {
			ClientSecretPost client = new ClientSecretPost(new ClientID(INTROSPECTION_CLIENT_ID),
					new Secret(INTROSPECTION_CLIENT_SECRET));
			URI endpoint = URI.create("http://127.0.0.1:" + api.port() + "/introspect");

			HTTPResponse response = new TokenIntrospectionRequest(endpoint, client, new BearerAccessToken(token))
				.toHTTPRequest()
				.send();

			assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(200);
			assertThat(TokenIntrospectionResponse.parse(response).toSuccessResponse().isActive()).isTrue();
		}

		@Test
		void introspectWhenClientSecretInFormBodyWrongThen401InvalidClient() {
			assertInvalidClient(api.postForm("/introspect", Api
				.form(Map.of("token", token, "client_id", INTROSPECTION_CLIENT_ID, "client_secret", "wrong-secret")),
					null));
		}

		/**
		 * RFC 6749 §2.3: "MUST NOT use more than one authentication method in each
		 * request."
		 */
		@Test
		void introspectWhenClientCredentialsInBothHeaderAndBodyThen401InvalidClient() {
			assertInvalidClient(api.postForm("/introspect", Api.form(Map.of("token", token, "client_id",
					INTROSPECTION_CLIENT_ID, "client_secret", INTROSPECTION_CLIENT_SECRET)), CLIENT));
		}

		/** RFC 6749 §2.3.1: the parameters "MUST NOT be included in the request URI". */
		@Test
		void introspectWhenClientSecretInUrlThen401InvalidClient() {
			String query = "?client_id=" + INTROSPECTION_CLIENT_ID + "&client%5Fsecret=" + INTROSPECTION_CLIENT_SECRET;

			assertInvalidClient(api.postForm("/introspect" + query, Api.form(Map.of("token", token)), null));
		}

		/** The id is a credential parameter too, with the secret in the body or Basic. */
		@Test
		void introspectWhenClientIdInUrlThen401InvalidClient() {
			String query = "?client%5Fid=" + INTROSPECTION_CLIENT_ID;

			assertInvalidClient(api.postForm("/introspect" + query,
					Api.form(Map.of("token", token, "client_secret", INTROSPECTION_CLIENT_SECRET)), null));
			assertInvalidClient(api.postForm("/introspect" + query, Api.form(Map.of("token", token)), CLIENT));
		}

		@Test
		void introspectWhenClientIdInFormBodyTwiceThen401InvalidClient() {
			String form = Api.form(Map.of("token", token, "client_id", INTROSPECTION_CLIENT_ID, "client_secret",
					INTROSPECTION_CLIENT_SECRET)) + "&client_id=" + INTROSPECTION_CLIENT_ID;

			assertInvalidClient(api.postForm("/introspect", form, null));
		}

		/** RFC 6749 §3.1: a parameter sent without a value counts as omitted. */
		@ParameterizedTest
		@ValueSource(strings = { "client_id=&client_id={id}&client_secret={secret}",
				"client_id={id}&client_secret={secret}&client_secret=" })
		void introspectWhenClientParameterAlsoSentEmptyThen200Active(String credentials) {
			String form = "token=" + token + "&" + credentials.replace("{id}", INTROSPECTION_CLIENT_ID)
				.replace("{secret}", Api.form(Map.of("s", INTROSPECTION_CLIENT_SECRET)).substring(2));

			Reply reply = api.postForm("/introspect", form, null);

			assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
			assertThat(reply.json().get("active").asBoolean()).isTrue();
		}

		/** An empty client_secret in the body is no second authentication method. */
		@Test
		void introspectWhenBasicClientAndEmptyClientSecretInBodyThen200Active() {
			Reply reply = api.postForm("/introspect", "token=" + token + "&client_secret=", CLIENT);

			assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
			assertThat(reply.json().get("active").asBoolean()).isTrue();
		}

		@Test
		void introspectWhenBearerGarbageThen401WithBearerChallengeFirst() {
			assertUnauthorizedWithBearerChallengeFirst(introspect(token, Api.bearer("not-a-token")));
		}

		@Test
		void introspectWhenBearerOfNonAdminUserThen403() {
			Reply reply = introspect(token, Api.bearer(token));

			assertThat(reply.status()).as(reply.toString()).isEqualTo(403);
			assertThat(reply.isJson()).isTrue();
			assertThat(reply.body()).isEqualTo("{\"message\":\"Forbidden\"}");
			assertThat(reply.header("WWW-Authenticate"))
				.hasValueSatisfying((challenge) -> assertThat(challenge).contains("error=\"insufficient_scope\""));
		}

		@Test
		void introspectWhenTokenParameterMissingThen400InvalidRequest() {
			Reply reply = api.postForm("/introspect", Api.form(Map.of("token_type_hint", "access_token")), CLIENT);

			assertThat(reply.status()).as(reply.toString()).isEqualTo(400);
			assertThat(reply.isJson()).isTrue();
			assertThat(reply.text("error")).isEqualTo("invalid_request");
			assertThat(reply.text("message")).isNotBlank();
		}

		/**
		 * RFC 7662 §2.1: a form body parameter; a token in a URL reaches proxies' logs.
		 */
		@ParameterizedTest
		@ValueSource(strings = { "token", "%74oken" })
		void introspectWhenTokenInQueryStringThen400InvalidRequest(String encodedName) {
			Reply reply = api.postForm("/introspect?" + encodedName + "=" + token, Api.form(Map.of("foo", "bar")),
					CLIENT);

			assertThat(reply.status()).as(reply.toString()).isEqualTo(400);
			assertThat(reply.text("error")).isEqualTo("invalid_request");
			assertThat(reply.text("error_description")).isEqualTo("Parameters must be sent in the request body");
		}

		@Test
		void introspectWhenTokenEmptyThen400InvalidRequestAsIfOmitted() {
			// RFC 6749 §3.1 and §3.2, whose form conventions RFC 7662 reuses: "Parameters
			// sent without a value MUST be treated as if they were omitted from the
			// request."
			Reply reply = introspect("", CLIENT);

			assertThat(reply.status()).as(reply.toString()).isEqualTo(400);
			assertThat(reply.isJson()).isTrue();
			assertThat(reply.text("error")).isEqualTo("invalid_request");
			assertThat(reply.text("message")).isNotBlank();
			assertThat(api.tokenStatus("").status()).isEqualTo(401);
		}

		// RFC 6749 §3.1: "Parameters sent without a value MUST be treated as if they
		// were omitted from the request."
		@ParameterizedTest
		@ValueSource(strings = { "token={token}&token=", "token=&token={token}",
				"token={token}&token_type_hint=&token_type_hint=access_token" })
		void introspectWhenParameterAlsoSentEmptyThen200ActiveAsIfTheEmptyOneWereOmitted(String form) {
			Reply reply = api.postForm("/introspect", form.replace("{token}", token), CLIENT);

			assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
			assertThat(reply.json().get("active").asBoolean()).isTrue();
			assertThat(reply.text("sub")).isEqualTo(Long.toString(userId));
		}

		/**
		 * RFC 6749 §3.2: "Request and response parameters MUST NOT be included more than
		 * once."
		 */
		@ParameterizedTest
		@ValueSource(strings = { "token={token}&token={token}",
				"token={token}&token_type_hint=access_token&token_type_hint=refresh_token" })
		void introspectWhenParameterGivenTwiceThen400InvalidRequest(String form) {
			Reply reply = api.postForm("/introspect", form.replace("{token}", token), CLIENT);

			assertThat(reply.status()).as(reply.toString()).isEqualTo(400);
			assertThat(reply.text("error")).isEqualTo("invalid_request");
		}

		@Test
		void introspectWhenJsonBodyThen415() {
			Reply reply = api.authorized("POST", "/introspect", CLIENT, "application/json",
					"{\"token\":\"" + token + "\"}");

			assertThat(reply.status()).as(reply.toString()).isEqualTo(415);
			assertThat(reply.isJson()).isTrue();
			assertThat(reply.text("message")).isNotBlank();
		}

		@Test
		void getIntrospectThen405() {
			Reply reply = api.authorized("GET", "/introspect", CLIENT, null, null);

			assertThat(reply.status()).as(reply.toString()).isEqualTo(405);
			assertThat(reply.isJson()).isTrue();
			assertThat(reply.text("message")).isNotBlank();
		}

		private void assertUnauthorizedWithBearerChallengeFirst(Reply reply) {
			assertUnauthorized(reply);
			assertThat(reply.header("WWW-Authenticate")).hasValueSatisfying(
					(challenge) -> assertThat(challenge).startsWith("Bearer ").contains("error=\"invalid_token\""));
			assertThat(reply.json().has("error")).as(reply.toString()).isFalse();
		}

		/** RFC 6749 §5.2: challenged by the scheme the client used, and nothing else. */
		private void assertInvalidClient(Reply reply) {
			assertUnauthorized(reply);
			assertThat(reply.headers().allValues("WWW-Authenticate")).as(reply.headers().toString())
				.singleElement()
				.satisfies((challenge) -> assertThat(challenge).startsWith("Basic realm="));
			assertThat(reply.json().propertyNames()).containsExactlyInAnyOrder("error", "error_description", "message");
			assertThat(reply.text("error")).isEqualTo("invalid_client");
			assertThat(reply.text("error_description")).isEqualTo("Invalid client credentials");
			assertThat(reply.text("message")).isEqualTo("Invalid client credentials");
		}

		private void assertUnauthorized(Reply reply) {
			assertThat(reply.status()).as(reply.toString()).isEqualTo(401);
			assertThat(reply.isJson()).isTrue();
			assertThat(reply.text("message")).isNotBlank();
			assertThat(reply.body()).doesNotContain("\"active\"");
		}

	}

	/**
	 * RFC 6749 §2.3.1: OAuth libraries form-encode the client id and secret before
	 * Base64; {@code curl -u} sends them raw. A client whose id and secret change under
	 * that encoding needs a service of its own.
	 */
	@Nested
	@TestInstance(Lifecycle.PER_CLASS)
	class ClientCredentialsEncoding {

		private static final String CLIENT_ID = "rs two+x";

		private static final String CLIENT_SECRET = "p+ss/w%rd of the rs two+x client";

		private SeparateService service;

		private Api serviceApi;

		@BeforeAll
		void startService(@TempDir Path dataDir) {
			this.service = SeparateService.start(dataDir, SECRET, "introspection.clients[0].id=" + CLIENT_ID,
					"introspection.clients[0].secret=" + CLIENT_SECRET);
			this.serviceApi = new Api(
					Integer.parseInt(this.service.context().getEnvironment().getProperty("local.server.port")));
		}

		@AfterAll
		void stopService() {
			this.service.close();
		}

		@Test
		void introspectWhenNimbusSendsFormEncodedClientCredentialsThen200() throws IOException, ParseException {
			ClientSecretBasic client = new ClientSecretBasic(new ClientID(CLIENT_ID), new Secret(CLIENT_SECRET));
			assertThat(client.toHTTPAuthorizationHeader())
				.isEqualTo(Api.basic("rs+two%2Bx", "p%2Bss%2Fw%25rd+of+the+rs+two%2Bx+client"));
			URI endpoint = URI.create("http://127.0.0.1:" + this.serviceApi.port() + "/introspect");

			HTTPResponse response = new TokenIntrospectionRequest(endpoint, client,
					new BearerAccessToken("not-a-token"))
				.toHTTPRequest()
				.send();

			assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(200);
			assertThat(TokenIntrospectionResponse.parse(response).toSuccessResponse().isActive()).isFalse();
		}

		@Test
		void introspectWhenRawClientCredentialsAsCurlSendsThemThen200() {
			Reply reply = this.serviceApi.postForm("/introspect", Api.form(Map.of("token", "not-a-token")),
					Api.basic(CLIENT_ID, CLIENT_SECRET));

			assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
			assertThat(reply.body()).isEqualTo("{\"active\":false}");
		}

	}

	/** Every token /token_status refuses is {@code {"active":false}} and nothing more. */
	@Nested
	class InactiveToken {

		@Test
		void introspectWhenGarbageThenInactive() {
			assertInactiveEverywhere("not-a-token");
		}

		@Test
		void introspectWhenTruncatedThenInactive() {
			assertInactiveEverywhere(token.substring(0, token.length() - 1));
		}

		@Test
		void introspectWhenPayloadTamperedThenInactive() {
			String[] parts = token.split("\\.");
			String otherPayload = TestTokens.signWith(userId + 1, username, (claims) -> {
			}).split("\\.")[1];

			assertInactiveEverywhere(parts[0] + "." + otherPayload + "." + parts[2]);
		}

		@Test
		void introspectWhenSignedWithAnotherSecretThenInactive() {
			assertInactiveEverywhere(TestTokens.sign(TestTokens.claimsFor(userId, username).build(), JWSAlgorithm.HS256,
					"another-secret-that-is-long-enough-for-hs256"));
		}

		@Test
		void introspectWhenExpiredThenInactive() {
			assertInactiveEverywhere(TestTokens.signWith(userId, username,
					(claims) -> claims.issueTime(Date.from(Instant.now().minusSeconds(7200)))
						.expirationTime(Date.from(Instant.now().minusSeconds(60)))));
		}

		@Test
		void introspectWhenIssuerWrongThenInactive() {
			assertInactiveEverywhere(TestTokens.signWith(userId, username, (claims) -> claims.issuer("evil")));
		}

		@Test
		void introspectWhenUserNeverExistedThenInactive() {
			assertInactiveEverywhere(TestTokens.signWith(Long.MAX_VALUE / 2, username, (claims) -> {
			}));
		}

		@Test
		void introspectWhenAlgNoneThenInactive() {
			assertInactiveEverywhere(TestTokens.unsecured(TestTokens.claimsFor(userId, username).build()));
		}

		@Test
		void introspectWhenUserDisabledThenInactive() {
			Reply disabled = api.withToken("PUT", "/toggle-user-permission/" + userId + "/0", adminToken());
			assertThat(disabled.status()).as(disabled.toString()).isEqualTo(200);

			assertInactiveEverywhere(token);
		}

		@Test
		void introspectWhenUserDisabledThenEnabledAgainThenActiveAgain() {
			String admin = adminToken();
			assertThat(api.withToken("PUT", "/toggle-user-permission/" + userId + "/0", admin).status()).isEqualTo(200);
			assertInactiveEverywhere(token);

			assertThat(api.withToken("PUT", "/toggle-user-permission/" + userId + "/1", admin).status()).isEqualTo(200);

			Reply reply = introspect(token, CLIENT);
			assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
			assertThat(reply.json().get("active").booleanValue()).isTrue();
			assertThat(api.tokenStatus(token).status()).isEqualTo(200);
		}

		@Test
		void introspectWhenUserDeletedThenInactive() {
			Reply deleted = api.withToken("DELETE", "/remove-user/" + userId, adminToken());
			assertThat(deleted.status()).as(deleted.toString()).isEqualTo(200);

			assertInactiveEverywhere(token);
		}

		@Test
		void introspectWhenRevokedThenInactive() {
			Reply revoked = api.postForm("/revoke", Api.form(Map.of("token", token)), Api.bearer(token));
			assertThat(revoked.status()).as(revoked.toString()).isEqualTo(200);

			assertInactiveEverywhere(token);
		}

		@Test
		void introspectWhenLoggedOutEverywhereThenInactive() {
			Reply loggedOut = api.withToken("POST", "/logout-all", token);
			assertThat(loggedOut.status()).as(loggedOut.toString()).isEqualTo(200);

			assertInactiveEverywhere(token);
		}

		private void assertInactiveEverywhere(String introspected) {
			assertInactive(introspect(introspected, CLIENT));
			Reply status = api.tokenStatus(introspected);
			assertThat(status.status()).as("/token_status agrees: " + status).isEqualTo(401);
		}

		private void assertInactive(Reply reply) {
			assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
			assertThat(reply.isJson()).isTrue();
			assertThat(reply.header("Cache-Control"))
				.hasValueSatisfying((cacheControl) -> assertThat(cacheControl).contains("no-store"));
			JsonNode body = reply.json();
			assertThat(Set.copyOf(body.propertyNames())).as(reply.body()).containsExactly("active");
			assertThat(body.get("active").isBoolean()).isTrue();
			assertThat(body.get("active").booleanValue()).isFalse();
		}

	}

	private Reply introspect(String introspected, String authorization) {
		return this.api.postForm("/introspect", Api.form(Map.of("token", introspected)), authorization);
	}

	private static JsonNode payloadOf(String token) {
		return JSON.readTree(Base64.getUrlDecoder().decode(token.split("\\.")[1]));
	}

}
