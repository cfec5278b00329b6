package dev.tokenservice.account;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.nimbusds.jose.JWSAlgorithm;
import dev.tokenservice.support.Api;
import dev.tokenservice.support.Concurrently;
import dev.tokenservice.support.HttpTestSupport;
import dev.tokenservice.support.NonDecimalSpelling;
import dev.tokenservice.support.Reply;
import dev.tokenservice.support.TestTokens;
import dev.tokenservice.support.TestUsers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

import org.springframework.jdbc.core.JdbcTemplate;

import static dev.tokenservice.support.ProtectedEndpointAssertions.assertForbidden;
import static dev.tokenservice.support.ProtectedEndpointAssertions.assertUnauthorized;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The administration endpoints over HTTP ({@code PUT /toggle-user-permission},
 * {@code DELETE /remove-user}, {@code GET /users}, {@code GET /users/{id}}): who may call
 * them, what they answer, and that their effect on tokens and logins is immediate.
 */
class AccountAdminHttpTests extends HttpTestSupport {

	private static final String ADMIN_ENDPOINTS_PLACEHOLDER = "{id}";

	private static final String LAST_ADMIN_MESSAGE = "Cannot disable or delete the last enabled admin";

	private static final Set<String> USER_FIELDS = Set.of("user_id", "username", "email", "enabled", "roles",
			"created_at");

	@Nested
	class Authentication {

		@ParameterizedTest(name = "{0}")
		@ValueSource(strings = { "PUT /toggle-user-permission/{id}/0", "PUT /toggle-user-permission/{id}/1",
				"DELETE /remove-user/{id}", "GET /users", "GET /users?page=0&size=10", "GET /users/{id}" })
		void adminEndpointWhenNoTokenThen401AuthenticationRequiredWithBearerChallenge(String endpoint) {
			long victim = userIdOf(TestUsers.registered(api(), "noauth-victim"));

			Reply reply = call(endpoint, victim, null);

			assertUnauthorized(reply, "Authentication required");
			assertStillEnabled(victim);
		}

		@ParameterizedTest(name = "{0}")
		@ValueSource(strings = { "PUT /toggle-user-permission/{id}/0", "PUT /toggle-user-permission/{id}/1",
				"DELETE /remove-user/{id}", "GET /users", "GET /users/{id}" })
		void adminEndpointWhenGarbageTokenThen401InvalidToken(String endpoint) {
			long victim = userIdOf(TestUsers.registered(api(), "garbage-victim"));

			Reply reply = call(endpoint, victim, Api.bearer("not-a-jwt"));

			assertUnauthorized(reply, "Invalid token");
			assertStillEnabled(victim);
		}

		@ParameterizedTest(name = "{0}")
		@ValueSource(strings = { "PUT /toggle-user-permission/{id}/0", "DELETE /remove-user/{id}", "GET /users",
				"GET /users/{id}" })
		void adminEndpointWhenAdminTokenSignedWithAnotherKeyThen401InvalidToken(String endpoint) {
			long victim = userIdOf(TestUsers.registered(api(), "forged-victim"));
			long adminId = userIdOf(ADMIN_USERNAME);
			String forged = TestTokens.sign(TestTokens.claimsFor(adminId, ADMIN_USERNAME).build(), JWSAlgorithm.HS256,
					"another-secret-that-is-long-enough-for-hs256!!");

			Reply reply = call(endpoint, victim, Api.bearer(forged));

			assertUnauthorized(reply, "Invalid token");
			assertStillEnabled(victim);
		}

		@ParameterizedTest(name = "{0}")
		@ValueSource(strings = { "PUT /toggle-user-permission/{id}/0", "PUT /toggle-user-permission/{id}/1",
				"DELETE /remove-user/{id}", "GET /users", "GET /users?page=0&size=10", "GET /users/{id}" })
		void adminEndpointWhenUserTokenThen403Forbidden(String endpoint) {
			String caller = TestUsers.registered(api(), "plain-user");
			String token = api().tokenFor(caller, TestUsers.PASSWORD);
			long victim = userIdOf(TestUsers.registered(api(), "forbidden-victim"));

			Reply reply = call(endpoint, victim, Api.bearer(token));

			assertForbidden(reply);
			assertStillEnabled(victim);
		}

		@ParameterizedTest(name = "{0}")
		@ValueSource(strings = { "PUT /toggle-user-permission/{id}/0", "DELETE /remove-user/{id}" })
		void adminEndpointWhenUserActsOnThemselfThen403Forbidden(String endpoint) {
			String caller = TestUsers.registered(api(), "self-acting");
			long callerId = userIdOf(caller);
			String token = api().tokenFor(caller, TestUsers.PASSWORD);

			Reply reply = call(endpoint, callerId, Api.bearer(token));

			assertForbidden(reply);
			assertStillEnabled(callerId);
			assertThat(api().tokenStatus(token).status()).isEqualTo(200);
		}

		@Test
		void getUsersWhenUserPromotedInDatabaseThenExistingTokenHasAdminAccessAtOnce() {
			String username = TestUsers.registered(api(), "promoted");
			long id = userIdOf(username);
			String token = api().tokenFor(username, TestUsers.PASSWORD);
			assertForbidden(api().withToken("GET", "/users", token));
			try {
				jdbc().update("update users set role = 'ADMIN' where id = ?", id);

				Reply reply = api().withToken("GET", "/users", token);

				assertThat(reply.status()).isEqualTo(200);
				assertThat(reply.json().get("users").isArray()).isTrue();
			}
			finally {
				jdbc().update("update users set role = 'USER' where id = ?", id);
			}
		}

		@Test
		void adminEndpointsWhenAdminDemotedInDatabaseThen403OnNextRequest() {
			String username = TestUsers.registered(api(), "demoted");
			long id = userIdOf(username);
			long victim = userIdOf(TestUsers.registered(api(), "demoted-victim"));
			jdbc().update("update users set role = 'ADMIN' where id = ?", id);
			String token = api().tokenFor(username, TestUsers.PASSWORD);
			try {
				assertThat(api().withToken("GET", "/users", token).status()).isEqualTo(200);
				assertThat(api().withToken("GET", "/users/" + victim, token).status()).isEqualTo(200);

				jdbc().update("update users set role = 'USER' where id = ?", id);

				assertForbidden(api().withToken("GET", "/users", token));
				assertForbidden(api().withToken("GET", "/users/" + victim, token));
				assertForbidden(api().withToken("PUT", "/toggle-user-permission/" + victim + "/0", token));
				assertForbidden(api().withToken("DELETE", "/remove-user/" + victim, token));
				assertStillEnabled(victim);
				// Still a valid user: the demotion takes away rights, not the login.
				assertThat(api().withToken("GET", "/me", token).status()).isEqualTo(200);
			}
			finally {
				jdbc().update("update users set role = 'USER' where id = ?", id);
			}
		}

	}

	@Nested
	class TogglePermission {

		@Test
		void toggleWhenFlag0ThenDisablesAtOnceTokenRejectedAndLoginSays403UserIsDisabled() {
			String username = TestUsers.registered(api(), "to-disable");
			long id = userIdOf(username);
			String userToken = api().tokenFor(username, TestUsers.PASSWORD);
			assertThat(api().tokenStatus(userToken).status()).isEqualTo(200);

			Reply reply = api().withToken("PUT", "/toggle-user-permission/" + id + "/0", adminToken());

			assertPermissionUpdated(reply, id);
			Reply status = api().tokenStatus(userToken);
			assertThat(status.status()).isEqualTo(401);
			assertThat(status.text("message")).isEqualTo("Invalid token");
			assertThat(api().get("/token_status", "Authorization", Api.bearer(userToken)).status()).isEqualTo(401);
			assertUnauthorized(api().withToken("GET", "/me", userToken), "Invalid token");
			Reply login = api().token(username, TestUsers.PASSWORD);
			assertThat(login.status()).isEqualTo(403);
			assertThat(login.json().propertyNames()).containsExactly("message");
			assertThat(login.text("message")).isEqualTo("User is disabled");
			Reply view = api().withToken("GET", "/users/" + id, adminToken());
			assertThat(view.status()).isEqualTo(200);
			assertThat(view.json().get("enabled").asBoolean()).isFalse();
			assertThat(jdbc().queryForObject("select enabled from users where id = ?", Boolean.class, id)).isFalse();
		}

		@Test
		void toggleWhenFlag0ThenPasswordGrantGivesInvalidGrant() {
			String username = TestUsers.registered(api(), "to-disable-form");
			long id = userIdOf(username);
			assertPermissionUpdated(api().withToken("PUT", "/toggle-user-permission/" + id + "/0", adminToken()), id);

			Reply reply = api().postForm("/token",
					Api.form(Map.of("grant_type", "password", "username", username, "password", TestUsers.PASSWORD)));

			assertThat(reply.status()).isEqualTo(400);
			assertThat(reply.text("error")).isEqualTo("invalid_grant");
		}

		@Test
		void toggleWhenFlag1AfterDisableThenOldTokenValidAgainAndLoginWorks() {
			String username = TestUsers.registered(api(), "to-reenable");
			long id = userIdOf(username);
			String userToken = api().tokenFor(username, TestUsers.PASSWORD);
			String admin = adminToken();
			assertPermissionUpdated(api().withToken("PUT", "/toggle-user-permission/" + id + "/0", admin), id);
			assertThat(api().tokenStatus(userToken).status()).isEqualTo(401);

			Reply reply = api().withToken("PUT", "/toggle-user-permission/" + id + "/1", admin);

			assertPermissionUpdated(reply, id);
			Reply status = api().tokenStatus(userToken);
			assertThat(status.status()).isEqualTo(200);
			assertThat(status.number("user_id")).isEqualTo(id);
			Reply me = api().withToken("GET", "/me", userToken);
			assertThat(me.status()).isEqualTo(200);
			assertThat(me.number("user_id")).isEqualTo(id);
			assertThat(me.json().get("enabled").asBoolean()).isTrue();
			assertThat(api().token(username, TestUsers.PASSWORD).status()).isEqualTo(200);
		}

		@Test
		void toggleWhenRepeatedThenIdempotent200() {
			String username = TestUsers.registered(api(), "idempotent");
			long id = userIdOf(username);
			String admin = adminToken();

			assertPermissionUpdated(api().withToken("PUT", "/toggle-user-permission/" + id + "/1", admin), id);
			assertStillEnabled(id);
			assertPermissionUpdated(api().withToken("PUT", "/toggle-user-permission/" + id + "/0", admin), id);
			assertPermissionUpdated(api().withToken("PUT", "/toggle-user-permission/" + id + "/0", admin), id);
			assertThat(jdbc().queryForObject("select enabled from users where id = ?", Boolean.class, id)).isFalse();
			assertPermissionUpdated(api().withToken("PUT", "/toggle-user-permission/" + id + "/1", admin), id);
			assertPermissionUpdated(api().withToken("PUT", "/toggle-user-permission/" + id + "/1", admin), id);
			assertStillEnabled(id);
		}

		@ParameterizedTest(name = "flag {0}")
		@ValueSource(strings = { "0", "1" })
		void toggleWhenUserUnknownThen404UserNotFound(String flag) {
			Reply reply = api().withToken("PUT", "/toggle-user-permission/" + unknownId() + "/" + flag, adminToken());

			assertThat(reply.status()).isEqualTo(404);
			assertThat(reply.isJson()).isTrue();
			assertThat(reply.json().propertyNames()).containsExactly("message");
			assertThat(reply.text("message")).isEqualTo("User not found");
		}

		@ParameterizedTest(name = "flag {0}")
		@ValueSource(strings = { "2", "-1", "x", "01a", "true", "01", "-0", "+1", "00", "1.0" })
		void toggleWhenFlagNotZeroOrOneThen400NamingFlag(String flag) {
			long id = userIdOf(TestUsers.registered(api(), "badflag"));

			Reply reply = api().withToken("PUT", "/toggle-user-permission/" + id + "/" + flag, adminToken());

			assertInvalidRequest(reply, "flag");
			assertThat(reply.json().at("/errors/flag").asString()).isEqualTo("must be 0 or 1");
			assertStillEnabled(id);
		}

		@ParameterizedTest(name = "id {0}")
		@ValueSource(strings = { "abc", "1.5", "12x" })
		void toggleWhenIdNotANumberThen400NamingUserId(String id) {
			Reply reply = api().withToken("PUT", "/toggle-user-permission/" + id + "/0", adminToken());

			assertInvalidRequest(reply, "user_id");
		}

		@Test
		void toggleWhenGetInsteadOfPutThen405() {
			long id = userIdOf(TestUsers.registered(api(), "wrong-method"));

			Reply reply = api().withToken("GET", "/toggle-user-permission/" + id + "/0", adminToken());

			assertThat(reply.status()).isEqualTo(405);
			assertThat(reply.isJson()).isTrue();
			assertThat(reply.text("message")).isNotBlank();
			assertStillEnabled(id);
		}

	}

	@Nested
	class RemoveUser {

		@Test
		void removeWhenUserExistsThen200AndTokenDeadAndIdGone() {
			String username = TestUsers.registered(api(), "to-delete");
			long id = userIdOf(username);
			String userToken = api().tokenFor(username, TestUsers.PASSWORD);
			String admin = adminToken();

			Reply reply = api().withToken("DELETE", "/remove-user/" + id, admin);

			assertThat(reply.status()).isEqualTo(200);
			assertThat(reply.isJson()).isTrue();
			assertThat(reply.json().propertyNames()).containsExactly("message");
			assertThat(reply.text("message")).isEqualTo("User deleted successfully");
			assertThat(jdbc().queryForObject("select count(*) from users where id = ?", Long.class, id)).isZero();
			Reply status = api().tokenStatus(userToken);
			assertThat(status.status()).isEqualTo(401);
			assertThat(status.text("message")).isEqualTo("Invalid token");
			assertUnauthorized(api().withToken("GET", "/me", userToken), "Invalid token");
			assertNotFound(api().withToken("GET", "/users/" + id, admin));
			assertNotFound(api().withToken("DELETE", "/remove-user/" + id, admin));
			Reply toggle = api().withToken("PUT", "/toggle-user-permission/" + id + "/1", admin);
			assertNotFound(toggle);
			assertThat(toggle.text("message")).isEqualTo("User not found");
			Reply login = api().token(username, TestUsers.PASSWORD);
			assertThat(login.status()).isEqualTo(401);
			assertThat(login.text("message")).isEqualTo("Invalid credentials");
		}

		@Test
		void removeWhenNameRegisteredAgainThenNewUserDoesNotInheritOldToken() {
			String username = TestUsers.registered(api(), "reborn");
			long id = userIdOf(username);
			String oldToken = api().tokenFor(username, TestUsers.PASSWORD);
			assertThat(api().withToken("DELETE", "/remove-user/" + id, adminToken()).status()).isEqualTo(200);

			Reply again = api().register(username, TestUsers.PASSWORD, TestUsers.emailOf(username));

			assertThat(again.status()).isEqualTo(201);
			assertThat(again.number("user_id")).isNotEqualTo(id);
			assertThat(api().tokenStatus(oldToken).status()).isEqualTo(401);
			assertUnauthorized(api().withToken("GET", "/me", oldToken), "Invalid token");
			String newToken = api().tokenFor(username, TestUsers.PASSWORD);
			assertThat(api().tokenStatus(newToken).number("user_id")).isEqualTo(again.number("user_id"));
		}

		@Test
		void removeWhenUserUnknownThen404() {
			assertNotFound(api().withToken("DELETE", "/remove-user/" + unknownId(), adminToken()));
		}

		@ParameterizedTest(name = "id {0}")
		@ValueSource(strings = { "abc", "1.5", "12x" })
		void removeWhenIdNotANumberThen400NamingUserId(String id) {
			assertInvalidRequest(api().withToken("DELETE", "/remove-user/" + id, adminToken()), "user_id");
		}

	}

	@Nested
	class ListUsers {

		@Test
		void listWhenNoParametersThenPage0Size50OrderedById() {
			TestUsers.registered(api(), "list-default");
			long total = userCount();

			Reply reply = api().withToken("GET", "/users", adminToken());

			assertThat(reply.status()).isEqualTo(200);
			assertThat(reply.isJson()).isTrue();
			assertThat(reply.json().propertyNames()).containsExactlyInAnyOrder("users", "page", "size", "total");
			assertThat(reply.json().get("page").isNumber()).isTrue();
			assertThat(reply.number("page")).isZero();
			assertThat(reply.number("size")).isEqualTo(50);
			assertThat(reply.number("total")).isEqualTo(total);
			assertThat(idsOf(reply)).isEqualTo(allIds().subList(0, (int) Math.min(50, total)));
		}

		@Test
		void listWhenPagedThenEachPageIsTheNextSliceOrderedByIdWithTotal() {
			List<String> mine = List.of(TestUsers.registered(api(), "page-a"), TestUsers.registered(api(), "page-b"),
					TestUsers.registered(api(), "page-c"));
			List<Long> all = allIds();
			int first = all.indexOf(userIdOf(mine.get(0)));
			int size = 2;
			String admin = adminToken();

			for (int page = first / size; page <= (all.size() - 1) / size; page++) {
				Reply reply = api().withToken("GET", "/users?page=" + page + "&size=" + size, admin);

				assertThat(reply.status()).isEqualTo(200);
				assertThat(reply.number("page")).isEqualTo(page);
				assertThat(reply.number("size")).isEqualTo(size);
				assertThat(reply.number("total")).isEqualTo(all.size());
				assertThat(idsOf(reply)).isEqualTo(all.subList(page * size, Math.min(page * size + size, all.size())));
			}
			Reply last = api().withToken("GET", "/users?page=" + ((all.size() - 1) / size) + "&size=" + size, admin);
			JsonNode users = last.json().get("users");
			JsonNode newest = users.get(users.size() - 1);
			assertUserJson(newest, userIdOf(mine.get(2)), mine.get(2), true, "user");
		}

		@Test
		void listWhenWalkedWithSize200ThenEveryUserOnceInIdOrder() {
			TestUsers.registered(api(), "walk");
			List<Long> all = allIds();
			String admin = adminToken();
			List<Long> seen = new ArrayList<>();

			for (int page = 0; page * 200 < all.size(); page++) {
				Reply reply = api().withToken("GET", "/users?page=" + page + "&size=200", admin);
				assertThat(reply.status()).isEqualTo(200);
				assertThat(reply.number("total")).isEqualTo(all.size());
				seen.addAll(idsOf(reply));
			}

			assertThat(seen).isEqualTo(all);
		}

		@Test
		void listWhenSizeAbove200ThenCappedAt200() {
			long total = userCount();

			Reply reply = api().withToken("GET", "/users?page=0&size=500", adminToken());

			assertThat(reply.status()).isEqualTo(200);
			assertThat(reply.number("size")).isEqualTo(200);
			assertThat(reply.number("page")).isZero();
			assertThat(reply.json().get("users").size()).isEqualTo((int) Math.min(200, total));
		}

		@Test
		void listWhenPageBeyondTheEndThenEmptyListWithTotal() {
			long total = userCount();

			Reply reply = api().withToken("GET", "/users?page=100000&size=10", adminToken());

			assertThat(reply.status()).isEqualTo(200);
			assertThat(reply.json().get("users").isArray()).isTrue();
			assertThat(reply.json().get("users").size()).isZero();
			assertThat(reply.number("page")).isEqualTo(100000);
			assertThat(reply.number("total")).isEqualTo(total);
		}

		@ParameterizedTest(name = "{0}")
		@CsvSource(delimiter = '|', textBlock = """
				size=0           | size
				size=-1          | size
				size=abc         | size
				page=0&size=0    | size
				page=-1          | page
				page=-1&size=10  | page
				page=abc         | page
				page=1.5         | page
				""")
		void listWhenPageOrSizeInvalidThen400NamingIt(String query, String field) {
			assertInvalidRequest(api().withToken("GET", "/users?" + query, adminToken()), field);
		}

		@Test
		void listWhenUsersShownThenExactFieldsAndNeverAHash() {
			String username = TestUsers.registered(api(), "shape");
			long id = userIdOf(username);
			String admin = adminToken();
			int index = allIds().indexOf(id);

			Reply reply = api().withToken("GET", "/users?page=" + index + "&size=1", admin);

			assertThat(reply.status()).isEqualTo(200);
			assertThat(reply.json().get("users").size()).isEqualTo(1);
			assertUserJson(reply.json().get("users").get(0), id, username, true, "user");
			assertNoSecrets(reply);
			Reply firstPage = api().withToken("GET", "/users?page=0&size=200", admin);
			assertNoSecrets(firstPage);
			for (JsonNode user : firstPage.json().get("users")) {
				assertThat(user.propertyNames()).containsExactlyInAnyOrderElementsOf(USER_FIELDS);
			}
		}

		@Test
		void listWhenAdminShownThenRolesUserAndAdmin() {
			long adminId = userIdOf(ADMIN_USERNAME);
			int index = allIds().indexOf(adminId);

			Reply reply = api().withToken("GET", "/users?page=" + index + "&size=1", adminToken());

			assertThat(reply.status()).isEqualTo(200);
			assertUserJson(reply.json().get("users").get(0), adminId, ADMIN_USERNAME, true, "user", "admin");
		}

		private List<Long> idsOf(Reply reply) {
			List<Long> ids = new ArrayList<>();
			JsonNode users = reply.json().get("users");
			for (JsonNode user : users) {
				assertThat(user.get("user_id").isNumber()).isTrue();
				ids.add(user.get("user_id").asLong());
			}
			return ids;
		}

		private List<Long> allIds() {
			return jdbc().queryForList("select id from users order by id", Long.class);
		}

		private long userCount() {
			Long count = jdbc().queryForObject("select count(*) from users", Long.class);
			return (count != null) ? count : -1;
		}

	}

	@Nested
	class GetUser {

		@Test
		void getWhenAdminThenAnyUserWithExactFields() {
			String username = TestUsers.registered(api(), "viewed");
			long id = userIdOf(username);

			Reply reply = api().withToken("GET", "/users/" + id, adminToken());

			assertThat(reply.status()).isEqualTo(200);
			assertThat(reply.isJson()).isTrue();
			assertUserJson(reply.json(), id, username, true, "user");
			assertNoSecrets(reply);
			assertThat(Duration.between(Instant.parse(reply.text("created_at")), Instant.now()).abs())
				.isLessThan(Duration.ofMinutes(5));
		}

		@Test
		void getWhenAdminAsksForAdminThenRolesUserAndAdmin() {
			long adminId = userIdOf(ADMIN_USERNAME);

			Reply reply = api().withToken("GET", "/users/" + adminId, adminToken());

			assertThat(reply.status()).isEqualTo(200);
			assertUserJson(reply.json(), adminId, ADMIN_USERNAME, true, "user", "admin");
		}

		@Test
		void getWhenUserAsksForThemselfThen200SameAsMe() {
			String username = TestUsers.registered(api(), "self-view");
			long id = userIdOf(username);
			String token = api().tokenFor(username, TestUsers.PASSWORD);

			Reply reply = api().withToken("GET", "/users/" + id, token);
			Reply me = api().withToken("GET", "/me", token);

			assertThat(reply.status()).isEqualTo(200);
			assertUserJson(reply.json(), id, username, true, "user");
			assertNoSecrets(reply);
			assertThat(me.status()).isEqualTo(200);
			assertThat(me.json()).isEqualTo(reply.json());
		}

		@Test
		void getWhenUserAsksForSomeoneElseThen403() {
			String caller = TestUsers.registered(api(), "nosy");
			long other = userIdOf(TestUsers.registered(api(), "private"));

			assertForbidden(api().withToken("GET", "/users/" + other, api().tokenFor(caller, TestUsers.PASSWORD)));
		}

		@Test
		void getWhenUserAsksForUnknownIdThen403NotExistenceLeak() {
			String caller = TestUsers.registered(api(), "prober");

			assertForbidden(
					api().withToken("GET", "/users/" + unknownId(), api().tokenFor(caller, TestUsers.PASSWORD)));
		}

		@Test
		void getWhenAdminAsksForUnknownIdThen404() {
			assertNotFound(api().withToken("GET", "/users/" + unknownId(), adminToken()));
		}

		@Test
		void getWhenIdNotANumberThenJsonClientErrorNeverServerError() {
			Reply reply = api().withToken("GET", "/users/abc", adminToken());

			// The contract names no status for this path; it must be a JSON 4xx.
			assertThat(reply.status()).isIn(400, 404);
			assertThat(reply.isJson()).isTrue();
			assertThat(reply.text("message")).isNotBlank();
		}

	}

	/**
	 * Ids, pages and sizes are ASCII decimal numbers (API.md: a non-numeric id or a bad
	 * page or size is a 400): a spelling that only Spring's or Java's number parsing
	 * reads as a number must not name a user the URL does not show.
	 */
	@Nested
	class DecimalNumbers {

		static Stream<Arguments> userIdEndpointsAndSpellings() {
			return withEverySpelling("GET /users/{id}", "DELETE /remove-user/{id}",
					"PUT /toggle-user-permission/{id}/0");
		}

		static Stream<Arguments> pagingParametersAndSpellings() {
			return withEverySpelling("page", "size");
		}

		private static Stream<Arguments> withEverySpelling(String... subjects) {
			return Arrays.stream(subjects)
				.flatMap((subject) -> Arrays.stream(NonDecimalSpelling.values())
					.map((spelling) -> Arguments.of(subject, spelling)));
		}

		@ParameterizedTest(name = "{0} {1}")
		@MethodSource("userIdEndpointsAndSpellings")
		void adminEndpointWhenUserIdNotAsciiDecimalThen400NamingUserIdAndUserUntouched(String endpoint,
				NonDecimalSpelling spelling) {
			long victim = userIdOf(TestUsers.registered(api(), "spelled-victim"));

			Reply reply = call(endpoint, spelling.of(victim), Api.bearer(adminToken()));

			assertWholeNumberRequired(reply, "user_id");
			assertStillEnabled(victim);
		}

		@ParameterizedTest(name = "{0} {1}")
		@MethodSource("pagingParametersAndSpellings")
		void listWhenPageOrSizeNotAsciiDecimalThen400NamingIt(String parameter, NonDecimalSpelling spelling) {
			Reply reply = api().withToken("GET", "/users?" + parameter + "=" + spelling.of(1), adminToken());

			assertWholeNumberRequired(reply, parameter);
		}

		@Test
		void getWhenIdHasLeadingZerosThenStillDecimalAndThatUser() {
			String username = TestUsers.registered(api(), "zero-padded");
			long id = userIdOf(username);

			Reply reply = api().withToken("GET", "/users/000" + id, adminToken());

			assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
			assertUserJson(reply.json(), id, username, true, "user");
		}

		@Test
		void getWhenIdNegativeThen404LikeAnyUnknownId() {
			assertNotFound(api().withToken("GET", "/users/-1", adminToken()));
		}

		@Test
		void listWhenPageAndSizeHaveLeadingZerosThenStillDecimal() {
			Reply reply = api().withToken("GET", "/users?page=00&size=002", adminToken());

			assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
			assertThat(reply.number("page")).isZero();
			assertThat(reply.number("size")).isEqualTo(2);
		}

	}

	/**
	 * The last enabled admin can be neither disabled nor deleted. These tests change the
	 * bootstrap admin, so each one restores it (enabled, admin) and demotes the second
	 * admins it made.
	 */
	@Nested
	class LastAdmin {

		private final List<Long> madeAdmins = new ArrayList<>();

		private long rootId;

		@BeforeEach
		void rootIsTheOnlyEnabledAdmin() {
			this.rootId = userIdOf(ADMIN_USERNAME);
			assertThat(enabledAdmins()).as("precondition: %s is the only enabled admin", ADMIN_USERNAME)
				.containsExactly(this.rootId);
		}

		@AfterEach
		void restore() {
			for (long id : this.madeAdmins) {
				jdbc().update("update users set role = 'USER' where id = ?", id);
			}
			jdbc().update("update users set enabled = true, role = 'ADMIN' where id = ?", this.rootId);
		}

		@Test
		void disableWhenOnlyEnabledAdminThen409AndStillAdmin() {
			String admin = adminToken();

			Reply reply = api().withToken("PUT", "/toggle-user-permission/" + this.rootId + "/0", admin);

			assertConflict(reply);
			assertStillEnabled(this.rootId);
			assertThat(api().withToken("GET", "/users", admin).status()).isEqualTo(200);
		}

		@Test
		void removeWhenOnlyEnabledAdminThen409AndStillThere() {
			String admin = adminToken();

			Reply reply = api().withToken("DELETE", "/remove-user/" + this.rootId, admin);

			assertConflict(reply);
			assertStillEnabled(this.rootId);
			assertThat(api().withToken("GET", "/users", admin).status()).isEqualTo(200);
		}

		@Test
		void disableOtherAdminWhenTwoEnabledThen200AndThenLastOneIs409() {
			Admin second = secondAdmin();
			String root = adminToken();

			assertPermissionUpdated(api().withToken("PUT", "/toggle-user-permission/" + second.id() + "/0", root),
					second.id());

			assertUnauthorized(api().withToken("GET", "/users", second.token()), "Invalid token");
			assertConflict(api().withToken("PUT", "/toggle-user-permission/" + this.rootId + "/0", root));
			assertConflict(api().withToken("DELETE", "/remove-user/" + this.rootId, root));
			assertStillEnabled(this.rootId);
			assertPermissionUpdated(api().withToken("PUT", "/toggle-user-permission/" + second.id() + "/1", root),
					second.id());
			assertThat(api().withToken("GET", "/users", second.token()).status()).isEqualTo(200);
		}

		@Test
		void disableRootAdminBySecondAdminThen200AndRootLockedOutUntilEnabled() {
			Admin second = secondAdmin();
			String root = adminToken();

			assertPermissionUpdated(
					api().withToken("PUT", "/toggle-user-permission/" + this.rootId + "/0", second.token()),
					this.rootId);

			assertUnauthorized(api().withToken("GET", "/users", root), "Invalid token");
			Reply login = api().token(ADMIN_USERNAME, ADMIN_PASSWORD);
			assertThat(login.status()).isEqualTo(403);
			assertThat(login.text("message")).isEqualTo("User is disabled");
			assertConflict(api().withToken("PUT", "/toggle-user-permission/" + second.id() + "/0", second.token()));
			assertConflict(api().withToken("DELETE", "/remove-user/" + second.id(), second.token()));

			assertPermissionUpdated(
					api().withToken("PUT", "/toggle-user-permission/" + this.rootId + "/1", second.token()),
					this.rootId);
			assertThat(api().withToken("GET", "/users", root).status()).isEqualTo(200);
		}

		@Test
		void disableThemselfWhenAnotherAdminEnabledThen200() {
			Admin second = secondAdmin();

			assertPermissionUpdated(
					api().withToken("PUT", "/toggle-user-permission/" + second.id() + "/0", second.token()),
					second.id());

			assertUnauthorized(api().withToken("GET", "/users", second.token()), "Invalid token");
			assertStillEnabled(this.rootId);
		}

		@Test
		void removeOtherAdminWhenTwoEnabledThen200AndThenLastOneIs409() {
			Admin second = secondAdmin();
			String root = adminToken();

			Reply reply = api().withToken("DELETE", "/remove-user/" + second.id(), root);

			assertThat(reply.status()).isEqualTo(200);
			assertThat(reply.text("message")).isEqualTo("User deleted successfully");
			assertUnauthorized(api().withToken("GET", "/users", second.token()), "Invalid token");
			assertConflict(api().withToken("DELETE", "/remove-user/" + this.rootId, root));
		}

		@Test
		void removeThemselfWhenAnotherAdminEnabledThen200() {
			Admin second = secondAdmin();

			Reply reply = api().withToken("DELETE", "/remove-user/" + second.id(), second.token());

			assertThat(reply.status()).isEqualTo(200);
			assertThat(reply.text("message")).isEqualTo("User deleted successfully");
			assertNotFound(api().withToken("GET", "/users/" + second.id(), adminToken()));
		}

		@Test
		void removeOnlyEnabledAdminWhenOtherAdminDisabledThen409() {
			Admin second = secondAdmin();
			String root = adminToken();
			assertPermissionUpdated(api().withToken("PUT", "/toggle-user-permission/" + second.id() + "/0", root),
					second.id());

			assertConflict(api().withToken("DELETE", "/remove-user/" + this.rootId, root));
			assertStillEnabled(this.rootId);
		}

		/**
		 * Two admins disable each other at the same moment. Whatever the order, at most
		 * one succeeds and an enabled admin always remains. The loser gets 409, or 401 if
		 * the winner's change was committed before the loser's token was checked.
		 */
		@Test
		void disableEachOtherConcurrentlyThenAtMostOneWinsAndAnEnabledAdminRemains() throws Exception {
			Admin second = secondAdmin();
			String root = adminToken();
			ExecutorService pool = Executors.newFixedThreadPool(2);
			List<String> outcomes = new ArrayList<>();
			try {
				for (int round = 0; round < 20; round++) {
					jdbc().update("update users set enabled = true where id in (?, ?)", this.rootId, second.id());
					CyclicBarrier start = new CyclicBarrier(2);
					Future<Reply> byRoot = pool.submit(() -> {
						start.await();
						return api().withToken("PUT", "/toggle-user-permission/" + second.id() + "/0", root);
					});
					Future<Reply> bySecond = pool.submit(() -> {
						start.await();
						return api().withToken("PUT", "/toggle-user-permission/" + this.rootId + "/0", second.token());
					});
					Reply rootReply = byRoot.get(30, TimeUnit.SECONDS);
					Reply secondReply = bySecond.get(30, TimeUnit.SECONDS);
					outcomes.add(rootReply.status() + "/" + secondReply.status());

					assertThat(List.of(rootReply.status(), secondReply.status())).as("round %d: %s", round, outcomes)
						.allMatch((status) -> status == 200 || status == 409 || status == 401)
						.filteredOn((status) -> status == 200)
						.hasSizeLessThanOrEqualTo(1);
					assertLoser(rootReply, secondReply);
					assertLoser(secondReply, rootReply);
					assertThat(enabledAdmins()).as("round %d: %s", round, outcomes).isNotEmpty();
				}
			}
			finally {
				pool.shutdownNow();
			}
		}

		/**
		 * Admins disabling one user at the same moment each read the user before any
		 * writes it: one write lands, the others find the row changed.
		 */
		@Test
		void toggleSameUserConcurrentlyThen200Or409TryAgainNeverServerError() throws Exception {
			long id = userIdOf(TestUsers.registered(api(), "toggled-at-once"));
			String root = adminToken();

			List<Reply> replies = Concurrently.send(20,
					(i) -> api().withToken("PUT", "/toggle-user-permission/" + id + "/0", root));

			assertThat(replies).as(replies.toString())
				.allMatch((reply) -> reply.status() == 200 || reply.status() == 409)
				.anyMatch((reply) -> reply.status() == 200);
			assertThat(replies).filteredOn((reply) -> reply.status() == 409)
				.allMatch((reply) -> reply.text("message")
					.equals("The user was changed by another request at the same time: try again"));
			assertThat(jdbc().queryForObject("select enabled from users where id = ?", Boolean.class, id)).isFalse();
		}

		private void assertLoser(Reply loser, Reply winner) {
			if (winner.status() == 200) {
				assertThat(loser.status()).isIn(401, 409);
			}
			if (loser.status() == 409) {
				assertThat(loser.text("message")).isEqualTo(LAST_ADMIN_MESSAGE);
			}
		}

		private Admin secondAdmin() {
			String username = TestUsers.registered(api(), "second-admin");
			long id = userIdOf(username);
			this.madeAdmins.add(id);
			jdbc().update("update users set role = 'ADMIN' where id = ?", id);
			return new Admin(id, api().tokenFor(username, TestUsers.PASSWORD));
		}

		private List<Long> enabledAdmins() {
			return jdbc().queryForList("select id from users where role = 'ADMIN' and enabled = true order by id",
					Long.class);
		}

		private void assertConflict(Reply reply) {
			assertThat(reply.status()).as(reply.toString()).isEqualTo(409);
			assertThat(reply.isJson()).isTrue();
			assertThat(reply.json().propertyNames()).containsExactly("message");
			assertThat(reply.text("message")).isEqualTo(LAST_ADMIN_MESSAGE);
		}

	}

	record Admin(long id, String token) {
	}

	private Api api() {
		return this.api;
	}

	private JdbcTemplate jdbc() {
		return this.jdbc;
	}

	private long unknownId() {
		Long max = this.jdbc.queryForObject("select coalesce(max(id), 0) from users", Long.class);
		return ((max != null) ? max : 0) + 1_000_000;
	}

	/** Sends {@code "METHOD /path"} with {@code {id}} replaced, without a body. */
	private Reply call(String endpoint, long id, String authorization) {
		return call(endpoint, Long.toString(id), authorization);
	}

	private Reply call(String endpoint, String id, String authorization) {
		String[] methodAndPath = endpoint.split(" ", 2);
		String path = methodAndPath[1].replace(ADMIN_ENDPOINTS_PLACEHOLDER, id);
		return this.api.authorized(methodAndPath[0], path, authorization, null, null);
	}

	private void assertStillEnabled(long id) {
		assertThat(this.jdbc.queryForObject("select enabled from users where id = ?", Boolean.class, id))
			.as("user %d still exists and is enabled", id)
			.isTrue();
	}

	private static void assertNotFound(Reply reply) {
		assertThat(reply.status()).as(reply.toString()).isEqualTo(404);
		assertThat(reply.isJson()).isTrue();
		assertThat(reply.text("message")).isNotBlank();
	}

	private static void assertPermissionUpdated(Reply reply, long id) {
		assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
		assertThat(reply.isJson()).isTrue();
		assertThat(reply.json().propertyNames()).containsExactlyInAnyOrder("message", "user_id");
		assertThat(reply.text("message")).isEqualTo("User permission updated successfully");
		assertThat(reply.json().get("user_id").isNumber()).isTrue();
		assertThat(reply.number("user_id")).isEqualTo(id);
	}

	private static void assertInvalidRequest(Reply reply, String field) {
		assertThat(reply.status()).as(reply.toString()).isEqualTo(400);
		assertThat(reply.isJson()).isTrue();
		assertThat(reply.text("message")).isEqualTo("Invalid request");
		assertThat(reply.json().get("errors")).as(reply.toString()).isNotNull();
		assertThat(reply.json().get("errors").propertyNames()).contains(field);
	}

	/** The 400 of a path variable or query parameter that is not a decimal number. */
	private static void assertWholeNumberRequired(Reply reply, String name) {
		assertThat(reply.status()).as(reply.toString()).isEqualTo(400);
		assertThat(reply.isJson()).isTrue();
		assertThat(reply.json().propertyNames()).containsExactly("message", "errors");
		assertThat(reply.text("message")).isEqualTo("Invalid request");
		assertThat(reply.json().get("errors").propertyNames()).containsExactly(name);
		assertThat(reply.json().get("errors").get(name).asString()).isEqualTo("must be a whole number");
	}

	private static void assertUserJson(JsonNode user, long id, String username, boolean enabled, String... roles) {
		assertThat(user.propertyNames()).containsExactlyInAnyOrderElementsOf(USER_FIELDS);
		assertThat(user.get("user_id").isNumber()).isTrue();
		assertThat(user.get("user_id").asLong()).isEqualTo(id);
		assertThat(user.get("username").asString()).isEqualTo(username);
		if (!ADMIN_USERNAME.equals(username)) {
			assertThat(user.get("email").asString()).isEqualTo(TestUsers.emailOf(username));
		}
		assertThat(user.get("enabled").isBoolean()).isTrue();
		assertThat(user.get("enabled").asBoolean()).isEqualTo(enabled);
		List<String> actualRoles = new ArrayList<>();
		user.get("roles").forEach((role) -> actualRoles.add(role.asString()));
		assertThat(actualRoles).containsExactlyInAnyOrder(roles);
		String createdAt = user.get("created_at").asString();
		assertThat(createdAt).endsWith("Z");
		assertThat(Instant.parse(createdAt)).isBefore(Instant.now().plusSeconds(60));
	}

	/** No property is named after a password or hash, and no value is a BCrypt hash. */
	private static void assertNoSecrets(Reply reply) {
		assertNoSecrets(reply.json());
	}

	private static void assertNoSecrets(JsonNode node) {
		for (Map.Entry<String, JsonNode> property : node.properties()) {
			assertThat(property.getKey().toLowerCase(Locale.ROOT)).doesNotContain("password").doesNotContain("hash");
		}
		for (JsonNode child : node) {
			assertNoSecrets(child);
		}
		if (node.isString()) {
			assertThat(node.asString()).doesNotMatch("^\\$2[aby]?\\$\\d\\d\\$.*");
		}
	}

}
