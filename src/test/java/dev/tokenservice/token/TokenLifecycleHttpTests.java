package dev.tokenservice.token;

import java.text.ParseException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import com.nimbusds.jwt.SignedJWT;
import dev.tokenservice.support.Api;
import dev.tokenservice.support.HttpTestSupport;
import dev.tokenservice.support.Reply;
import dev.tokenservice.support.TestTokens;
import dev.tokenservice.support.TestUsers;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One token's life across every endpoint that can end it: disabling and enabling its
 * user, revocation, a password change, logging out everywhere and deleting the user, as
 * API.md "Accounts and administration" and "Revocation and introspection" describe. A
 * token is checked everywhere a client can present it: {@code /token_status}, as a bearer
 * token on {@code /me}, and through {@code /introspect}.
 */
class TokenLifecycleHttpTests extends HttpTestSupport {

	private static final String NEW_PASSWORD = "Cedar-Lantern-6624-Robin";

	private static final int RACE_ROUNDS = 20;

	@Test
	void lifecycleWhenDisabledEnabledRevokedPasswordChangedAndLoggedOutThenValidityFollowsEachStep() {
		String admin = adminToken();
		String username = TestUsers.registered(this.api, "lifecycle");
		long userId = userIdOf(username);

		// issue
		String first = this.api.tokenFor(username, TestUsers.PASSWORD);
		String second = this.api.tokenFor(username, TestUsers.PASSWORD);
		assertValidEverywhere(first, userId, username);

		// the admin disables the user: their tokens stop working, and so does logging in
		Reply disabled = this.api.withToken("PUT", "/toggle-user-permission/" + userId + "/0", admin);
		assertPermissionUpdated(disabled, userId);
		assertInvalidEverywhere(first);
		assertInvalidEverywhere(second);
		Reply loginWhileDisabled = this.api.token(username, TestUsers.PASSWORD);
		assertThat(loginWhileDisabled.status()).isEqualTo(403);
		assertThat(loginWhileDisabled.text("message")).isEqualTo("User is disabled");

		// the admin enables the user again: the old tokens were never revoked
		Reply enabled = this.api.withToken("PUT", "/toggle-user-permission/" + userId + "/1", admin);
		assertPermissionUpdated(enabled, userId);
		assertValidEverywhere(first, userId, username);
		assertValidEverywhere(second, userId, username);

		// the holder revokes the first token with itself: only that token ends
		Reply revoked = this.api.postForm("/revoke", Api.form(Map.of("token", first)), Api.bearer(first));
		assertThat(revoked.status()).isEqualTo(200);
		assertThat(revoked.isJson()).isTrue();
		assertThat(revoked.json().isObject()).isTrue();
		assertThat(revoked.json().size()).isZero();
		assertInvalidEverywhere(first);
		assertValidEverywhere(second, userId, username);

		// disabling and enabling again does not bring a revoked token back
		assertPermissionUpdated(this.api.withToken("PUT", "/toggle-user-permission/" + userId + "/0", admin), userId);
		assertPermissionUpdated(this.api.withToken("PUT", "/toggle-user-permission/" + userId + "/1", admin), userId);
		assertInvalidEverywhere(first);
		assertValidEverywhere(second, userId, username);

		// a password change ends every earlier token; the new password logs in
		Reply changed = this.api.postJson("/change-password",
				Map.of("current_password", TestUsers.PASSWORD, "new_password", NEW_PASSWORD), second);
		assertThat(changed.status()).isEqualTo(200);
		assertThat(changed.text("message")).isEqualTo("Password changed successfully");
		assertInvalidEverywhere(first);
		assertInvalidEverywhere(second);
		assertThat(this.api.token(username, TestUsers.PASSWORD).status()).isEqualTo(401);
		String afterChange = this.api.tokenFor(username, NEW_PASSWORD);
		String alsoAfterChange = this.api.tokenFor(username, NEW_PASSWORD);
		assertValidEverywhere(afterChange, userId, username);
		assertValidEverywhere(alsoAfterChange, userId, username);

		// logging out everywhere ends every earlier token; a new login is valid
		Reply loggedOut = this.api.withToken("POST", "/logout-all", afterChange);
		assertThat(loggedOut.status()).isEqualTo(200);
		assertThat(loggedOut.text("message")).isEqualTo("Logged out everywhere");
		assertThat(loggedOut.number("user_id")).isEqualTo(userId);
		assertInvalidEverywhere(afterChange);
		assertInvalidEverywhere(alsoAfterChange);
		String afterLogout = this.api.tokenFor(username, NEW_PASSWORD);
		assertValidEverywhere(afterLogout, userId, username);

		// the admin's own token was never touched
		assertThat(this.api.tokenStatus(admin).status()).isEqualTo(200);
	}

	@Test
	void logoutAllWhenLoginsRaceItWithinOneSecondThenEarlierTokenInvalidAndLaterTokenValid() throws ParseException {
		String username = TestUsers.registered(this.api, "logout-race");
		int sameSecondRounds = 0;

		for (int round = 0; round < RACE_ROUNDS; round++) {
			sameSecondRounds += raceRound(username, TestUsers.PASSWORD,
					(before) -> this.api.withToken("POST", "/logout-all", before), TestUsers.PASSWORD, round);
		}

		// otherwise the test proved nothing a whole-second comparison would not
		assertThat(sameSecondRounds).as("rounds where both tokens carry the same iat").isPositive();
	}

	@Test
	void changePasswordWhenLoginsRaceItWithinOneSecondThenEarlierTokenInvalidAndLaterTokenValid()
			throws ParseException {
		String username = TestUsers.registered(this.api, "password-race");
		List<String> passwords = List.of(TestUsers.PASSWORD, NEW_PASSWORD);
		int sameSecondRounds = 0;

		for (int round = 0; round < RACE_ROUNDS / 2; round++) {
			String current = passwords.get(round % 2);
			String next = passwords.get((round + 1) % 2);
			sameSecondRounds += raceRound(username, current, (before) -> this.api.postJson("/change-password",
					Map.of("current_password", current, "new_password", next), before), next, round);
		}

		assertThat(sameSecondRounds).as("rounds where both tokens carry the same iat").isPositive();
	}

	/**
	 * Logs in, ends the user's earlier tokens, logs in again at once: only the second
	 * token may be valid. Returns 1 if both tokens carry the same {@code iat}.
	 */
	private int raceRound(String username, String passwordBefore, Function<String, Reply> endTokens,
			String passwordAfter, int round) throws ParseException {
		String before = this.api.tokenFor(username, passwordBefore);
		Reply ended = endTokens.apply(before);
		String after = this.api.tokenFor(username, passwordAfter);

		assertThat(ended.status()).as("ending the tokens in round %d: %s", round, ended).isEqualTo(200);
		assertThat(this.api.tokenStatus(before).status()).as("token issued before, round %d", round).isEqualTo(401);
		assertThat(this.api.tokenStatus(after).status()).as("token issued after, round %d", round).isEqualTo(200);
		return (issuedAt(before) == issuedAt(after)) ? 1 : 0;
	}

	@Test
	void removeUserWhenLaterUsersRegisterThenDeletedUsersTokenStaysInvalid() {
		String admin = adminToken();
		String username = TestUsers.registered(this.api, "departed");
		long userId = userIdOf(username);
		String token = this.api.tokenFor(username, TestUsers.PASSWORD);
		assertValidEverywhere(token, userId, username);

		Reply removed = this.api.withToken("DELETE", "/remove-user/" + userId, admin);

		assertThat(removed.status()).isEqualTo(200);
		assertThat(removed.text("message")).isEqualTo("User deleted successfully");
		assertInvalidEverywhere(token);

		// a newcomer, even under the same name, gets a new id and none of the old tokens
		Reply sameName = this.api.register(username, TestUsers.PASSWORD, TestUsers.emailOf(username));
		assertThat(sameName.status()).isEqualTo(201);
		assertThat(sameName.number("user_id")).isNotEqualTo(userId);
		String newcomer = TestUsers.registered(this.api, "newcomer");
		assertThat(userIdOf(newcomer)).isNotEqualTo(userId);
		assertInvalidEverywhere(token);
		String crafted = TestTokens.sign(TestTokens.claimsFor(userId, username).build());
		assertInvalidEverywhere(crafted);

		// the newcomer's own token is fine
		String newToken = this.api.tokenFor(username, TestUsers.PASSWORD);
		assertValidEverywhere(newToken, sameName.number("user_id"), username);
	}

	@Test
	void statusWhenCraftedTokenCarriesVersionZeroAfterUsersVersionRoseThenInvalid() {
		String username = TestUsers.registered(this.api, "versioned");
		long userId = userIdOf(username);
		String versionZero = TestTokens.sign(TestTokens.claimsFor(userId, username).build());
		// a correctly signed token of the current version is valid: the crafting is right
		assertValidEverywhere(versionZero, userId, username);

		Reply loggedOut = this.api.withToken("POST", "/logout-all", versionZero);
		assertThat(loggedOut.status()).isEqualTo(200);
		long version = tokenVersionOf(userId);
		assertThat(version).isNotZero();

		String stale = TestTokens.sign(TestTokens.claimsFor(userId, username).build());
		assertInvalidEverywhere(stale);
		assertInvalidEverywhere(versionZero);
		String current = TestTokens.signWith(userId, username, (claims) -> claims.claim("ver", version));
		assertValidEverywhere(current, userId, username);
	}

	private void assertValidEverywhere(String token, long userId, String username) {
		Reply status = this.api.tokenStatus(token);
		assertThat(status.status()).as("token_status of a valid token").isEqualTo(200);
		assertThat(status.number("user_id")).isEqualTo(userId);

		Reply me = this.api.withToken("GET", "/me", token);
		assertThat(me.status()).as("GET /me with a valid token").isEqualTo(200);
		assertThat(me.number("user_id")).isEqualTo(userId);

		Reply introspection = introspect(token);
		assertThat(introspection.status()).isEqualTo(200);
		assertThat(introspection.header("Cache-Control"))
			.hasValueSatisfying((cacheControl) -> assertThat(cacheControl).contains("no-store"));
		JsonNode claims = introspection.json();
		assertThat(claims.get("active").asBoolean()).as("introspection of a valid token").isTrue();
		assertThat(claims.get("sub").isString()).isTrue();
		assertThat(claims.get("sub").asString()).isEqualTo(Long.toString(userId));
		assertThat(claims.get("username").asString()).isEqualTo(username);
		assertThat(claims.get("iss").asString()).isEqualTo(ISSUER);
		assertThat(claims.get("token_type").asString()).isEqualTo("Bearer");
		assertThat(claims.get("jti").asString()).isNotBlank();
		assertThat(claims.get("iat").isNumber()).isTrue();
		assertThat(claims.get("exp").isNumber()).isTrue();
		assertThat(claims.get("exp").asLong()).isGreaterThan(Instant.now().getEpochSecond());
	}

	private void assertInvalidEverywhere(String token) {
		Reply status = this.api.tokenStatus(token);
		assertThat(status.status()).as("token_status of an invalid token").isEqualTo(401);
		assertThat(status.text("message")).isEqualTo("Invalid token");

		Reply me = this.api.withToken("GET", "/me", token);
		assertThat(me.status()).as("GET /me with an invalid token").isEqualTo(401);
		assertThat(me.text("message")).isEqualTo("Invalid token");
		assertThat(me.header("WWW-Authenticate")).hasValueSatisfying(
				(challenge) -> assertThat(challenge).startsWith("Bearer").contains("error=\"invalid_token\""));

		Reply introspection = introspect(token);
		assertThat(introspection.status()).isEqualTo(200);
		assertThat(introspection.json().get("active").asBoolean()).as("introspection of an invalid token").isFalse();
		assertThat(introspection.json().propertyNames()).containsExactly("active");
	}

	private Reply introspect(String token) {
		return this.api.postForm("/introspect", Api.form(Map.of("token", token)),
				Api.basic(INTROSPECTION_CLIENT_ID, INTROSPECTION_CLIENT_SECRET));
	}

	private static void assertPermissionUpdated(Reply reply, long userId) {
		assertThat(reply.status()).isEqualTo(200);
		assertThat(reply.isJson()).isTrue();
		assertThat(reply.text("message")).isEqualTo("User permission updated successfully");
		assertThat(reply.number("user_id")).isEqualTo(userId);
	}

	private long tokenVersionOf(long userId) {
		Long version = this.jdbc.queryForObject("select token_version from users where id = ?", Long.class, userId);
		return (version != null) ? version : 0;
	}

	private static long issuedAt(String token) throws ParseException {
		return SignedJWT.parse(token).getJWTClaimsSet().getIssueTime().toInstant().getEpochSecond();
	}

}
