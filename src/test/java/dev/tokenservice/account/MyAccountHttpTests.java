package dev.tokenservice.account;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.nimbusds.jose.JWSAlgorithm;
import dev.tokenservice.support.Concurrently;
import dev.tokenservice.support.HttpTestSupport;
import dev.tokenservice.support.NonDecimalSpelling;
import dev.tokenservice.support.Reply;
import dev.tokenservice.support.TestTokens;
import dev.tokenservice.support.TestUsers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

import static dev.tokenservice.support.ProtectedEndpointAssertions.assertForbidden;
import static dev.tokenservice.support.ProtectedEndpointAssertions.assertUnauthorized;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A user's own account over HTTP: {@code GET /me}, {@code GET /users/{id}} for oneself,
 * {@code POST /change-password} and {@code POST /logout-all}, as API.md "Accounts and
 * administration" describes them.
 */
class MyAccountHttpTests extends HttpTestSupport {

	private static final String NEW_PASSWORD = "Maple-Harbour-5307-Finch";

	private String username;

	private long userId;

	private String token;

	@BeforeEach
	void signIn() {
		this.username = TestUsers.registered(this.api, "account-holder");
		this.userId = userIdOf(this.username);
		this.token = this.api.tokenFor(this.username, TestUsers.PASSWORD);
	}

	@Nested
	class Me {

		@Test
		void meWhenValidTokenThen200OwnRecordWithoutHash() {
			Reply reply = api.withToken("GET", "/me", token);

			assertThat(reply.status()).isEqualTo(200);
			assertOwnRecord(reply);
		}

		@Test
		void meWhenNoTokenThen401AuthenticationRequired() {
			Reply reply = api.get("/me");

			assertUnauthorized(reply, "Authentication required");
		}

		@Test
		void meWhenGarbageTokenThen401InvalidToken() {
			Reply reply = api.withToken("GET", "/me", "not-a-token");

			assertUnauthorized(reply, "Invalid token");
		}

		@Test
		void meWhenTokenSignedWithAnotherSecretThen401InvalidToken() {
			String forged = TestTokens.sign(TestTokens.claimsFor(userId, username).build(), JWSAlgorithm.HS256,
					"another-secret-that-is-long-enough-for-hs256");

			Reply reply = api.withToken("GET", "/me", forged);

			assertUnauthorized(reply, "Invalid token");
		}

	}

	@Nested
	class UserById {

		@Test
		void getUserWhenOwnIdAsNonAdminThen200OwnRecord() {
			Reply reply = api.withToken("GET", "/users/" + userId, token);

			assertThat(reply.status()).isEqualTo(200);
			assertOwnRecord(reply);
		}

		@Test
		void getUserWhenAnotherUsersIdAsNonAdminThen403Forbidden() {
			long otherId = userIdOf(TestUsers.registered(api, "neighbour"));

			Reply reply = api.withToken("GET", "/users/" + otherId, token);

			assertForbidden(reply);
			assertThat(reply.body()).doesNotContain("neighbour");
		}

		@Test
		void getUserWhenUnknownIdAsNonAdminThen403NotRevealingExistence() {
			Reply reply = api.withToken("GET", "/users/999999999", token);

			assertForbidden(reply);
		}

	}

	@Nested
	class ChangePassword {

		@Test
		void changePasswordWhenCurrentPasswordRightThen200() {
			Reply reply = changePassword(TestUsers.PASSWORD, NEW_PASSWORD);

			assertThat(reply.status()).isEqualTo(200);
			assertThat(reply.isJson()).isTrue();
			assertThat(reply.text("message")).isEqualTo("Password changed successfully");
		}

		@Test
		void changePasswordWhenDoneThenOldTokenInvalidOldPasswordRefusedNewPasswordWorks() {
			assertThat(changePassword(TestUsers.PASSWORD, NEW_PASSWORD).status()).isEqualTo(200);

			Reply oldTokenStatus = api.tokenStatus(token);
			assertThat(oldTokenStatus.status()).isEqualTo(401);
			assertThat(oldTokenStatus.text("message")).isEqualTo("Invalid token");

			Reply oldLogin = api.token(username, TestUsers.PASSWORD);
			assertThat(oldLogin.status()).isEqualTo(401);
			assertThat(oldLogin.text("message")).isEqualTo("Invalid credentials");

			Reply newLogin = api.token(username, NEW_PASSWORD);
			assertThat(newLogin.status()).isEqualTo(200);
			Reply newTokenStatus = api.tokenStatus(newLogin.text("token"));
			assertThat(newTokenStatus.status()).isEqualTo(200);
			assertThat(newTokenStatus.number("user_id")).isEqualTo(userId);
		}

		/**
		 * Two changes sent at once, each proving the same current password: one lands,
		 * the other finds that password no longer current. Five rounds, since either may
		 * reach the database first.
		 */
		@Test
		void changePasswordTwiceConcurrentlyThenOneLandsOther401AndOnlyItsPasswordWorks() throws Exception {
			String current = TestUsers.PASSWORD;
			for (int round = 0; round < 5; round++) {
				String proven = current;
				String holder = api.tokenFor(username, proven);
				List<String> candidates = List.of("Cedar-Lagoon-" + round + "-Otter-East",
						"Cedar-Lagoon-" + round + "-Otter-West");
				List<Reply> replies = Concurrently.send(2, (i) -> api.postJson("/change-password",
						Map.of("current_password", proven, "new_password", candidates.get(i)), holder));

				assertThat(replies).as("round %d: %s", round, replies)
					.extracting(Reply::status)
					.containsExactlyInAnyOrder(200, 401);
				int landed = (replies.get(0).status() == 200) ? 0 : 1;
				current = candidates.get(landed);
				assertThat(api.token(username, current).status()).as("round %d", round).isEqualTo(200);
				assertThat(api.token(username, candidates.get(1 - landed)).status()).as("round %d", round)
					.isEqualTo(401);
			}
		}

		@Test
		void changePasswordWhenCurrentPasswordWrongThen401AndNothingChanged() {
			Reply reply = changePassword("Wrong-Password-0000", NEW_PASSWORD);

			assertThat(reply.status()).isEqualTo(401);
			assertThat(reply.isJson()).isTrue();
			assertThat(reply.text("message")).isEqualTo("Invalid credentials");
			assertNothingChanged();
		}

		@Test
		void changePasswordWhenNewPasswordTooShortThen400NamingNewPassword() {
			Reply reply = changePassword(TestUsers.PASSWORD, "Short-1");

			assertRejectedNewPassword(reply);
		}

		@Test
		void changePasswordWhenNewPasswordEqualsUsernameThen400NamingNewPassword() {
			Reply reply = changePassword(TestUsers.PASSWORD, username);

			assertRejectedNewPassword(reply);
		}

		@Test
		void changePasswordWhenNewPasswordOver72Utf8BytesThen400NamingNewPassword() {
			// 37 characters, 74 bytes: short in characters, too long for BCrypt
			Reply reply = changePassword(TestUsers.PASSWORD, "é".repeat(37));

			assertRejectedNewPassword(reply);
		}

		@Test
		void changePasswordWhenNewPasswordMissingThen400NamingIt() {
			Reply reply = api.postJson("/change-password", Map.of("current_password", TestUsers.PASSWORD), token);

			assertInvalidRequest(reply, "new_password");
			assertNothingChanged();
		}

		@Test
		void changePasswordWhenCurrentPasswordMissingThen400NamingIt() {
			Reply reply = api.postJson("/change-password", Map.of("new_password", NEW_PASSWORD), token);

			assertInvalidRequest(reply, "current_password");
			assertNothingChanged();
		}

		@Test
		void changePasswordWhenBodyEmptyObjectThen400NamingBothFields() {
			Reply reply = api.postJson("/change-password", "{}", token);

			assertInvalidRequest(reply, "current_password");
			assertThat(reply.json().get("errors").has("new_password")).isTrue();
		}

		@Test
		void changePasswordWhenMalformedJsonThen400() {
			Reply reply = api.postJson("/change-password", "{\"current_password\": ", token);

			assertThat(reply.status()).isEqualTo(400);
			assertThat(reply.isJson()).isTrue();
			assertThat(reply.text("message")).isNotBlank();
			assertNothingChanged();
		}

		@Test
		void changePasswordWhenNoTokenThen401() {
			Reply reply = api.postJson("/change-password",
					Map.of("current_password", TestUsers.PASSWORD, "new_password", NEW_PASSWORD));

			assertUnauthorized(reply, "Authentication required");
			assertNothingChanged();
		}

		private Reply changePassword(String currentPassword, String newPassword) {
			return api.postJson("/change-password",
					Map.of("current_password", currentPassword, "new_password", newPassword), token);
		}

		private void assertRejectedNewPassword(Reply reply) {
			assertInvalidRequest(reply, "new_password");
			assertThat(reply.json().get("errors").get("new_password").asString()).isNotBlank();
			assertNothingChanged();
		}

		private void assertNothingChanged() {
			assertThat(api.tokenStatus(token).status()).isEqualTo(200);
			assertThat(api.token(username, TestUsers.PASSWORD).status()).isEqualTo(200);
			assertThat(api.token(username, NEW_PASSWORD).status()).isEqualTo(401);
		}

	}

	@Nested
	class LogoutAll {

		@Test
		void logoutAllThen200AndEveryEarlierTokenInvalidAndNewLoginValid() {
			String second = api.tokenFor(username, TestUsers.PASSWORD);
			String third = api.tokenFor(username, TestUsers.PASSWORD);

			Reply reply = api.withToken("POST", "/logout-all", second);

			assertLoggedOut(reply, userId);
			for (String earlier : List.of(token, second, third)) {
				assertThat(api.tokenStatus(earlier).status()).isEqualTo(401);
				assertThat(api.withToken("GET", "/me", earlier).status()).isEqualTo(401);
			}
			String later = api.tokenFor(username, TestUsers.PASSWORD);
			assertThat(api.tokenStatus(later).status()).isEqualTo(200);
			assertThat(api.withToken("GET", "/me", later).status()).isEqualTo(200);
		}

		@Test
		void logoutAllWhenOwnUserIdGivenThen200() {
			Reply reply = api.withToken("POST", "/logout-all?user_id=" + userId, token);

			assertLoggedOut(reply, userId);
			assertThat(api.tokenStatus(token).status()).isEqualTo(401);
		}

		@Test
		void logoutAllWhenAnotherUsersIdAsNonAdminThen403AndTheirTokensStayValid() {
			String other = TestUsers.registered(api, "bystander");
			String otherToken = api.tokenFor(other, TestUsers.PASSWORD);

			Reply reply = api.withToken("POST", "/logout-all?user_id=" + userIdOf(other), token);

			assertForbidden(reply);
			assertThat(api.tokenStatus(otherToken).status()).isEqualTo(200);
			assertThat(api.tokenStatus(token).status()).isEqualTo(200);
		}

		@Test
		void logoutAllWhenAdminNamesAnotherUserThen200AndOnlyThatUsersTokensInvalid() {
			String admin = adminToken();
			String second = api.tokenFor(username, TestUsers.PASSWORD);

			Reply reply = api.withToken("POST", "/logout-all?user_id=" + userId, admin);

			assertLoggedOut(reply, userId);
			assertThat(api.tokenStatus(token).status()).isEqualTo(401);
			assertThat(api.tokenStatus(second).status()).isEqualTo(401);
			assertThat(api.tokenStatus(admin).status()).isEqualTo(200);
			assertThat(api.withToken("GET", "/me", admin).status()).isEqualTo(200);
		}

		@Test
		void logoutAllWhenAdminNamesUnknownUserThen404() {
			String admin = adminToken();

			Reply reply = api.withToken("POST", "/logout-all?user_id=999999999", admin);

			assertThat(reply.status()).isEqualTo(404);
			assertThat(reply.isJson()).isTrue();
			assertThat(reply.text("message")).isNotBlank();
			assertThat(api.tokenStatus(admin).status()).isEqualTo(200);
		}

		@Test
		void logoutAllWhenUserIdNotANumberThen400AndNothingChanged() {
			Reply reply = api.withToken("POST", "/logout-all?user_id=abc", token);

			assertThat(reply.status()).isEqualTo(400);
			assertThat(reply.isJson()).isTrue();
			assertThat(reply.text("message")).isNotBlank();
			assertThat(api.tokenStatus(token).status()).isEqualTo(200);
		}

		/**
		 * An unset variable in a script, {@code ?user_id=$VICTIM_ID}, is not "no
		 * user_id".
		 */
		@ParameterizedTest
		@ValueSource(strings = { "", "%20" })
		void logoutAllWhenAdminGivesEmptyUserIdThen400NamingItAndNobodyLoggedOut(String userId) {
			assertAdminLogoutAllRefusedAsNotAWholeNumber(userId);
		}

		/** {@code 0x2} or a fullwidth {@code ２} must not log out user 2. */
		@ParameterizedTest
		@EnumSource
		void logoutAllWhenAdminGivesUserIdNotAsciiDecimalThen400NamingItAndNobodyLoggedOut(
				NonDecimalSpelling spelling) {
			assertAdminLogoutAllRefusedAsNotAWholeNumber(spelling.of(userId));
		}

		/**
		 * API.md takes the user from the query; in a JSON body it would otherwise be
		 * ignored, and the admin logged out instead of that user.
		 */
		@Test
		void logoutAllWhenAdminNamesUserInJsonBodyThen400NamingItAndNobodyLoggedOut() {
			String admin = adminToken();

			Reply reply = api.postJson("/logout-all", "{\"user_id\":" + userId + "}", admin);

			assertThat(reply.status()).as(reply.toString()).isEqualTo(400);
			assertThat(reply.json().at("/errors/user_id").asString())
				.isEqualTo("goes in the query string: POST /logout-all?user_id=N");
			assertThat(api.tokenStatus(admin).status()).isEqualTo(200);
			assertThat(api.tokenStatus(token).status()).isEqualTo(200);
		}

		/** Clients that always send JSON: an empty body or object names nobody. */
		@ParameterizedTest
		@ValueSource(strings = { "", "{}" })
		void logoutAllWhenJsonBodyNamesNobodyThenCallerLoggedOut(String body) {
			Reply reply = api.postJson("/logout-all", body, token);

			assertLoggedOut(reply, userId);
			assertThat(api.tokenStatus(token).status()).isEqualTo(401);
		}

		/**
		 * As {@code curl -d user_id=N} sends it: the servlet reads form fields as
		 * parameters.
		 */
		@Test
		void logoutAllWhenAdminNamesUserInFormBodyThen200AndThatUserLoggedOut() {
			String admin = adminToken();

			Reply reply = api.postForm("/logout-all", "user_id=" + userId, "Bearer " + admin);

			assertLoggedOut(reply, userId);
			assertThat(api.tokenStatus(token).status()).isEqualTo(401);
			assertThat(api.tokenStatus(admin).status()).isEqualTo(200);
		}

		@Test
		void logoutAllWhenNoTokenThen401() {
			Reply reply = api.authorized("POST", "/logout-all", null, null, null);

			assertUnauthorized(reply, "Authentication required");
			assertThat(api.tokenStatus(token).status()).isEqualTo(200);
		}

		private void assertAdminLogoutAllRefusedAsNotAWholeNumber(String userId) {
			String admin = adminToken();

			Reply reply = api.withToken("POST", "/logout-all?user_id=" + userId, admin);

			assertThat(reply.status()).as(reply.toString()).isEqualTo(400);
			assertThat(reply.json().at("/errors/user_id").asString()).isEqualTo("must be a whole number");
			assertThat(api.tokenStatus(admin).status()).isEqualTo(200);
			assertThat(api.tokenStatus(token).status()).isEqualTo(200);
		}

		private void assertLoggedOut(Reply reply, long expectedUserId) {
			assertThat(reply.status()).isEqualTo(200);
			assertThat(reply.isJson()).isTrue();
			assertThat(reply.text("message")).isEqualTo("Logged out everywhere");
			assertThat(reply.json().get("user_id").isNumber()).isTrue();
			assertThat(reply.number("user_id")).isEqualTo(expectedUserId);
		}

	}

	private void assertOwnRecord(Reply reply) {
		assertThat(reply.isJson()).isTrue();
		JsonNode user = reply.json();
		assertThat(user.propertyNames()).contains("user_id", "username", "email", "enabled", "roles", "created_at");
		assertThat(user.get("user_id").isNumber()).isTrue();
		assertThat(user.get("user_id").asLong()).isEqualTo(this.userId);
		assertThat(user.get("username").asString()).isEqualTo(this.username);
		assertThat(user.get("email").asString()).isEqualTo(TestUsers.emailOf(this.username));
		assertThat(user.get("enabled").isBoolean()).isTrue();
		assertThat(user.get("enabled").asBoolean()).isTrue();
		assertThat(user.get("roles").isArray()).isTrue();
		assertThat(user.get("roles").size()).isEqualTo(1);
		assertThat(user.get("roles").get(0).asString()).isEqualTo("user");
		String createdAt = user.get("created_at").asString();
		assertThat(createdAt).endsWith("Z");
		assertThat(Instant.parse(createdAt)).isBefore(Instant.now().plusSeconds(5));
		assertThat(user.propertyNames()).noneMatch((name) -> name.toLowerCase().contains("password"));
		assertThat(user.propertyNames()).noneMatch((name) -> name.toLowerCase().contains("hash"));
		assertThat(reply.body()).doesNotContain("$2a$").doesNotContain("$2b$").doesNotContain("$2y$");
	}

	private static void assertInvalidRequest(Reply reply, String field) {
		assertThat(reply.status()).isEqualTo(400);
		assertThat(reply.isJson()).isTrue();
		assertThat(reply.text("message")).isEqualTo("Invalid request");
		assertThat(reply.json().get("errors").has(field)).isTrue();
	}

}
