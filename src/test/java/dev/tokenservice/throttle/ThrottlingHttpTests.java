package dev.tokenservice.throttle;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import dev.tokenservice.support.HttpTestSupport;
import dev.tokenservice.support.Concurrently;
import dev.tokenservice.support.Reply;
import dev.tokenservice.support.SeparateService;
import dev.tokenservice.support.TestUsers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The abuse limits of API.md over HTTP, each nested class on its own application started
 * with small limits: failed logins per username and address and per username, token
 * requests and registrations per address, the refilling window, the client address with
 * and without a trusted proxy, and {@code limits.enabled: false}; and once with the
 * shipped defaults. Tagged with the contract suite, so its PostgreSQL run covers this
 * too.
 */
@Tag(HttpTestSupport.CONTRACT_TAG)
class ThrottlingHttpTests {

	private static final String SECRET = "throttling-test-secret-that-is-long-enough-for-hs256";

	private static final String WRONG_PASSWORD = "Wrong-Guess-0000-Nope";

	private static final String NEW_PASSWORD = "Never-Set-7781-Heron";

	/** One failed login per username and address returns every 3 seconds. */
	private static final int FAILED_PER_USER_AND_ADDRESS = 3;

	private static final int SECONDS_PER_FAILED_LOGIN = 3;

	/** One failed login per username (any address) returns every 2 seconds. */
	private static final int FAILED_PER_USER = 6;

	private static final int SECONDS_PER_FAILED_LOGIN_OF_USER = 2;

	/** One token request per address returns every 2 seconds. */
	private static final int TOKEN_REQUESTS_PER_ADDRESS = 30;

	private static final int REGISTRATIONS_PER_ADDRESS = 3;

	/**
	 * The shipped default of {@code limits.failed_logins_per_user_and_address}: 20 per 15
	 * minutes, so one returns every 45 seconds.
	 */
	private static final int DEFAULT_FAILED_PER_USER_AND_ADDRESS = 20;

	private static final int DEFAULT_SECONDS_PER_FAILED_LOGIN = 45;

	private static final AtomicInteger addresses = new AtomicInteger();

	@TempDir
	static Path dir;

	/**
	 * Tomcat trusts 127.0.0.1 as a proxy, so each test speaks from addresses of its own
	 * through {@code X-Forwarded-For}.
	 */
	@Nested
	@TestInstance(Lifecycle.PER_CLASS)
	class BehindTrustedProxy {

		private SeparateService client;

		@BeforeAll
		void startService() {
			this.client = start("trusted-proxy", "server.forward-headers-strategy=native",
					"server.tomcat.remoteip.internal-proxies=127\\.0\\.0\\.1", "password.bcrypt_cost=5");
		}

		@AfterAll
		void stopService() {
			this.client.close();
		}

		@Test
		void tokenWhenFailedLoginsOfUserFromAddressReachLimitThen429EvenForRightPassword() {
			String address = newAddress();
			String username = this.client.registered("jsonthrottled", address);
			for (int i = 0; i < FAILED_PER_USER_AND_ADDRESS; i++) {
				Reply wrong = this.client.token(username, WRONG_PASSWORD, address);
				assertThat(wrong.status()).as(wrong.toString()).isEqualTo(401);
				assertThat(wrong.text("message")).isEqualTo("Invalid credentials");
			}

			Reply nextWrong = this.client.token(username, WRONG_PASSWORD, address);
			Reply right = this.client.token(username, TestUsers.PASSWORD, address);

			assertTooManyRequests(nextWrong, SECONDS_PER_FAILED_LOGIN);
			assertTooManyRequests(right, SECONDS_PER_FAILED_LOGIN);
		}

		/**
		 * A stolen token must not let its thief guess the password faster than a login
		 * would: wrong current passwords are failed logins of the user.
		 */
		@Test
		void changePasswordWhenCurrentPasswordGuessedThen429AndLoginsThereThrottledToo() {
			String address = newAddress();
			String username = this.client.registered("pwguessed", address);
			String token = this.client.token(username, TestUsers.PASSWORD, address).text("token");
			for (int i = 0; i < FAILED_PER_USER_AND_ADDRESS; i++) {
				Reply wrong = this.client.changePassword(token, WRONG_PASSWORD, NEW_PASSWORD, address);
				assertThat(wrong.status()).as(wrong.toString()).isEqualTo(401);
			}

			Reply nextWrong = this.client.changePassword(token, WRONG_PASSWORD, NEW_PASSWORD, address);
			Reply login = this.client.token(username, TestUsers.PASSWORD, address);

			assertTooManyRequests(nextWrong, SECONDS_PER_FAILED_LOGIN);
			assertTooManyRequests(login, SECONDS_PER_FAILED_LOGIN);
		}

		@Test
		void tokenFormWhenFailedLoginsOfUserFromAddressReachLimitThen429InOAuthShapeEvenForRightPassword() {
			String address = newAddress();
			String username = this.client.registered("formthrottled", address);
			for (int i = 0; i < FAILED_PER_USER_AND_ADDRESS; i++) {
				Reply wrong = this.client.passwordGrant(username, WRONG_PASSWORD, address);
				assertThat(wrong.status()).as(wrong.toString()).isEqualTo(400);
				assertThat(wrong.text("error")).isEqualTo("invalid_grant");
			}

			Reply nextWrong = this.client.passwordGrant(username, WRONG_PASSWORD, address);
			Reply right = this.client.passwordGrant(username, TestUsers.PASSWORD, address);
			Reply rightJson = this.client.token(username, TestUsers.PASSWORD, address);

			assertTooManyRequestsOAuth(nextWrong, SECONDS_PER_FAILED_LOGIN);
			assertTooManyRequestsOAuth(right, SECONDS_PER_FAILED_LOGIN);
			// Both styles count in the same bucket.
			assertTooManyRequests(rightJson, SECONDS_PER_FAILED_LOGIN);
		}

		@Test
		void tokenWhenOnlyRightPasswordsThenNeverThrottledAndFailureBudgetUntouched() {
			String address = newAddress();
			String username = this.client.registered("rightonly", address);
			int logins = 4 * FAILED_PER_USER_AND_ADDRESS + FAILED_PER_USER;
			for (int i = 0; i < logins; i++) {
				Reply reply = (i % 2 == 0) ? this.client.token(username, TestUsers.PASSWORD, address)
						: this.client.passwordGrant(username, TestUsers.PASSWORD, address);
				assertThat(reply.status()).as("login %d: %s", i + 1, reply).isEqualTo(200);
				assertThat(reply.text("token")).isNotBlank();
			}

			// The successes took nothing: the whole failure budget is still there.
			for (int i = 0; i < FAILED_PER_USER_AND_ADDRESS; i++) {
				Reply wrong = this.client.token(username, WRONG_PASSWORD, address);
				assertThat(wrong.status()).as(wrong.toString()).isEqualTo(401);
			}
			assertTooManyRequests(this.client.token(username, WRONG_PASSWORD, address), SECONDS_PER_FAILED_LOGIN);
		}

		@Test
		void tokenWhenUserThrottledAtAddressThenOtherUserThereAndSameUserElsewhereNotSlowed() {
			String attacked = newAddress();
			String elsewhere = newAddress();
			String victim = this.client.registered("victim", attacked);
			String neighbour = this.client.registered("neighbour", attacked);
			throttle(victim, attacked);

			Reply neighbourRight = this.client.token(neighbour, TestUsers.PASSWORD, attacked);
			Reply neighbourWrong = this.client.token(neighbour, WRONG_PASSWORD, attacked);
			Reply victimElsewhere = this.client.token(victim, TestUsers.PASSWORD, elsewhere);
			Reply victimElsewhereForm = this.client.passwordGrant(victim, TestUsers.PASSWORD, elsewhere);
			Reply victimWrongElsewhere = this.client.token(victim, WRONG_PASSWORD, elsewhere);

			assertThat(neighbourRight.status()).as(neighbourRight.toString()).isEqualTo(200);
			assertThat(neighbourWrong.status()).as(neighbourWrong.toString()).isEqualTo(401);
			assertThat(victimElsewhere.status()).as(victimElsewhere.toString()).isEqualTo(200);
			assertThat(victimElsewhereForm.status()).as(victimElsewhereForm.toString()).isEqualTo(200);
			assertThat(victimWrongElsewhere.status()).as(victimWrongElsewhere.toString()).isEqualTo(401);
			// Still throttled where the guessing came from.
			assertTooManyRequests(this.client.token(victim, TestUsers.PASSWORD, attacked), SECONDS_PER_FAILED_LOGIN);
		}

		@Test
		void tokenWhenGuessesOfOneUserSpreadOverAddressesThenPerUserLimitThrottlesUntilWindowRefills()
				throws InterruptedException {
			String username = this.client.registered("distributed", newAddress());
			for (int i = 0; i < FAILED_PER_USER; i++) {
				Reply wrong = this.client.token(username, WRONG_PASSWORD, newAddress());
				assertThat(wrong.status()).as("guess %d: %s", i + 1, wrong).isEqualTo(401);
			}
			String fresh = newAddress();

			Reply guess = this.client.token(username, WRONG_PASSWORD, fresh);
			Reply right = this.client.token(username, TestUsers.PASSWORD, fresh);
			Reply rightForm = this.client.passwordGrant(username, TestUsers.PASSWORD, newAddress());
			String other = this.client.registered("bystander", fresh);
			Reply otherUser = this.client.token(other, TestUsers.PASSWORD, fresh);

			assertTooManyRequests(guess, SECONDS_PER_FAILED_LOGIN_OF_USER);
			long retryAfter = assertTooManyRequests(right, SECONDS_PER_FAILED_LOGIN_OF_USER);
			assertTooManyRequestsOAuth(rightForm, SECONDS_PER_FAILED_LOGIN_OF_USER);
			assertThat(otherUser.status()).as(otherUser.toString()).isEqualTo(200);

			TimeUnit.SECONDS.sleep(retryAfter);
			Reply later = this.client.token(username, TestUsers.PASSWORD, fresh);
			assertThat(later.status()).as(later.toString()).isEqualTo(200);
			assertThat(later.text("token")).isNotBlank();
		}

		@Test
		void tokenWhenRetryAfterElapsedThenRightPasswordSucceedsFromThrottledAddress() throws InterruptedException {
			String address = newAddress();
			String username = this.client.registered("waiter", address);
			long retryAfter = throttle(username, address);

			TimeUnit.SECONDS.sleep(retryAfter);
			Reply right = this.client.token(username, TestUsers.PASSWORD, address);

			assertThat(right.status()).as(right.toString()).isEqualTo(200);
			assertThat(right.text("token")).isNotBlank();
		}

		@Test
		void tokenWhenAttackerKeepsGuessingWhileThrottledThenWaitNotExtended() throws InterruptedException {
			String address = newAddress();
			String username = this.client.registered("hammered", address);
			for (int i = 0; i < FAILED_PER_USER_AND_ADDRESS; i++) {
				assertThat(this.client.token(username, WRONG_PASSWORD, address).status()).isEqualTo(401);
			}
			long sentAt = System.nanoTime();
			Reply first = this.client.token(username, WRONG_PASSWORD, address);
			long receivedAt = System.nanoTime();
			long retryAfter = assertTooManyRequests(first, SECONDS_PER_FAILED_LOGIN);
			// Retry-After is the wait rounded up to whole seconds: no token returns
			// before
			// a second less than that, so guessing until then meets nothing but 429s.
			long stopGuessing = sentAt + TimeUnit.SECONDS.toNanos(retryAfter - 1);
			long endOfWait = receivedAt + TimeUnit.SECONDS.toNanos(retryAfter);

			int refused = 0;
			while (System.nanoTime() < stopGuessing) {
				Reply guess = (refused % 2 == 0) ? this.client.token(username, WRONG_PASSWORD, address)
						: this.client.passwordGrant(username, WRONG_PASSWORD, address);
				assertThat(guess.status()).as("guess while throttled: %s", guess).isEqualTo(429);
				assertThat(Long.parseLong(guess.header("Retry-After").orElseThrow())).isBetween(1L, retryAfter);
				refused++;
				TimeUnit.MILLISECONDS.sleep(200);
			}
			TimeUnit.NANOSECONDS.sleep(Math.max(0, endOfWait - System.nanoTime()));
			Reply right = this.client.token(username, TestUsers.PASSWORD, address);

			assertThat(refused).isGreaterThanOrEqualTo(5);
			assertThat(right.status()).as("after %d refused guesses: %s", refused, right).isEqualTo(200);
		}

		@Test
		void registerWhenRegistrationsFromAddressReachLimitThen429AndOtherAddressStillRegisters() {
			String address = newAddress();
			for (int i = 0; i < REGISTRATIONS_PER_ADDRESS; i++) {
				String username = TestUsers.uniqueName("signup");
				Reply created = this.client.register(username, address);
				assertThat(created.status()).as(created.toString()).isEqualTo(201);
			}
			String refusedName = TestUsers.uniqueName("signup");
			String otherName = TestUsers.uniqueName("signup");

			Reply refused = this.client.register(refusedName, address);
			// Judging a password's guessability costs a hash's CPU: not before admission.
			Reply refusedCommon = this.client.register(TestUsers.uniqueName("signup"), "qwerty123", address);
			Reply other = this.client.register(otherName, newAddress());

			long hourPerRegistration = Duration.ofHours(1).toSeconds() / REGISTRATIONS_PER_ADDRESS;
			assertTooManyRequests(refused, hourPerRegistration);
			assertTooManyRequests(refusedCommon, hourPerRegistration);
			assertThat(refused.header("Retry-After").map(Long::parseLong).orElseThrow())
				.isGreaterThan(hourPerRegistration - 60);
			assertThat(other.status()).as(other.toString()).isEqualTo(201);
			assertThat(other.number("user_id")).isPositive();
			// The refused registration created nobody.
			Reply refusedLogin = this.client.token(refusedName, TestUsers.PASSWORD, newAddress());
			assertThat(refusedLogin.status()).as(refusedLogin.toString()).isEqualTo(401);
			assertThat(this.client.token(otherName, TestUsers.PASSWORD, newAddress()).status()).isEqualTo(200);
		}

		@Test
		void tokenWhenTokenRequestsFromAddressReachLimitThen429ForAnyUserThereOnly() {
			String address = newAddress();
			String first = this.client.registered("busy", address);
			String second = this.client.registered("busy", address);
			for (int i = 0; i < TOKEN_REQUESTS_PER_ADDRESS; i++) {
				Reply reply = this.client.token((i % 2 == 0) ? first : second, TestUsers.PASSWORD, address);
				assertThat(reply.status()).as("request %d: %s", i + 1, reply).isEqualTo(200);
			}

			Reply json = this.client.token(first, TestUsers.PASSWORD, address);
			Reply form = this.client.passwordGrant(second, TestUsers.PASSWORD, address);
			Reply elsewhere = this.client.token(first, TestUsers.PASSWORD, newAddress());

			long perRequest = Duration.ofMinutes(1).toSeconds() / TOKEN_REQUESTS_PER_ADDRESS;
			assertTooManyRequests(json, perRequest);
			assertTooManyRequestsOAuth(form, perRequest);
			assertThat(elsewhere.status()).as(elsewhere.toString()).isEqualTo(200);
		}

		@Test
		void registerAndTokenWhenBurstOf100FromDistinctAddressesThenAllSucceed() throws Exception {
			int burst = 100;
			List<String> burstAddresses = new ArrayList<>();
			List<String> usernames = new ArrayList<>();
			for (int i = 0; i < burst; i++) {
				burstAddresses.add(newAddress());
				usernames.add(TestUsers.uniqueName("burst"));
			}

			List<Reply> registrations = Concurrently.send(burst,
					(i) -> this.client.register(usernames.get(i), burstAddresses.get(i)));
			List<Reply> logins = Concurrently.send(burst,
					(i) -> (i % 2 == 0) ? this.client.token(usernames.get(i), TestUsers.PASSWORD, burstAddresses.get(i))
							: this.client.passwordGrant(usernames.get(i), TestUsers.PASSWORD, burstAddresses.get(i)));

			assertThat(registrations).extracting(Reply::status).containsOnly(201);
			assertThat(logins).extracting(Reply::status).containsOnly(200);
			assertThat(logins).allSatisfy((login) -> assertThat(login.text("token")).isNotBlank());
		}

		/** Fails logins until the next one is refused, and returns its Retry-After. */
		private long throttle(String username, String address) {
			for (int i = 0; i < FAILED_PER_USER_AND_ADDRESS; i++) {
				Reply wrong = this.client.token(username, WRONG_PASSWORD, address);
				assertThat(wrong.status()).as(wrong.toString()).isEqualTo(401);
			}
			return assertTooManyRequests(this.client.token(username, WRONG_PASSWORD, address),
					SECONDS_PER_FAILED_LOGIN);
		}

	}

	/**
	 * No trusted proxy is configured, so every request comes from the TCP peer,
	 * 127.0.0.1, whatever {@code X-Forwarded-For} claims.
	 */
	@Nested
	@TestInstance(Lifecycle.PER_CLASS)
	class WithoutTrustedProxy {

		private SeparateService client;

		@BeforeAll
		void startService() {
			this.client = start("no-proxy");
		}

		@AfterAll
		void stopService() {
			this.client.close();
		}

		@Test
		void tokenWhenForwardedForForgedThenFailuresStillCountForThePeer() {
			String username = TestUsers.uniqueName("forger");
			for (int i = 0; i < FAILED_PER_USER_AND_ADDRESS; i++) {
				Reply wrong = this.client.token(username, WRONG_PASSWORD, newAddress());
				assertThat(wrong.status()).as(wrong.toString()).isEqualTo(401);
			}

			Reply forged = this.client.token(username, WRONG_PASSWORD, newAddress());
			Reply forgedForm = this.client.passwordGrant(username, WRONG_PASSWORD, newAddress());
			Reply plain = this.client.token(username, WRONG_PASSWORD, null);

			assertTooManyRequests(forged, SECONDS_PER_FAILED_LOGIN);
			assertTooManyRequestsOAuth(forgedForm, SECONDS_PER_FAILED_LOGIN);
			assertTooManyRequests(plain, SECONDS_PER_FAILED_LOGIN);
		}

		@Test
		void registerWhenForwardedForForgedThenRegistrationsStillCountForThePeer() {
			for (int i = 0; i < REGISTRATIONS_PER_ADDRESS; i++) {
				Reply created = this.client.register(TestUsers.uniqueName("forged"), newAddress());
				assertThat(created.status()).as(created.toString()).isEqualTo(201);
			}

			Reply forged = this.client.register(TestUsers.uniqueName("forged"), newAddress());
			Reply plain = this.client.register(TestUsers.uniqueName("forged"), null);

			long hourPerRegistration = Duration.ofHours(1).toSeconds() / REGISTRATIONS_PER_ADDRESS;
			assertTooManyRequests(forged, hourPerRegistration);
			assertTooManyRequests(plain, hourPerRegistration);
		}

	}

	/**
	 * The limits as shipped, none overridden (only a cheap hash, for speed): API.md's
	 * promise of at most 20 failed logins for one username from one address.
	 */
	@Nested
	@TestInstance(Lifecycle.PER_CLASS)
	class WithDefaultLimits {

		private SeparateService client;

		@BeforeAll
		void startService() {
			this.client = SeparateService.start(dir.resolve("defaults"), SECRET, "password.bcrypt_cost=4");
		}

		@AfterAll
		void stopService() {
			this.client.close();
		}

		@Test
		void tokenWhenTwentyFailedLoginsOfUserFromAddressThenTwentyFirstIs429() {
			String username = this.client.registered("defaultlimits", null);
			for (int i = 1; i <= DEFAULT_FAILED_PER_USER_AND_ADDRESS; i++) {
				Reply wrong = this.client.token(username, WRONG_PASSWORD, null);
				assertThat(wrong.status()).as("failure %d: %s", i, wrong).isEqualTo(401);
			}

			Reply twentyFirst = this.client.token(username, WRONG_PASSWORD, null);

			assertTooManyRequests(twentyFirst, DEFAULT_SECONDS_PER_FAILED_LOGIN);
		}

	}

	/**
	 * {@code limits.enabled: false}, with limits of one that would otherwise bite at
	 * once.
	 */
	@Nested
	@TestInstance(Lifecycle.PER_CLASS)
	class WithLimitsDisabled {

		private SeparateService client;

		@BeforeAll
		void startService() {
			this.client = start("disabled", "limits.enabled=false",
					"limits.failed_logins_per_user_and_address.capacity=1", "limits.failed_logins_per_user.capacity=1",
					"limits.token_requests_per_address.capacity=1", "limits.registrations_per_address.capacity=1");
		}

		@AfterAll
		void stopService() {
			this.client.close();
		}

		@Test
		void tokenAndRegisterWhenLimitsDisabledThenManyFailuresAndRegistrationsNeverGet429() {
			List<String> usernames = new ArrayList<>();
			for (int i = 0; i < 5; i++) {
				String username = TestUsers.uniqueName("unlimited");
				Reply created = this.client.register(username, null);
				assertThat(created.status()).as(created.toString()).isEqualTo(201);
				usernames.add(username);
			}
			String username = usernames.get(0);
			for (int i = 0; i < 40; i++) {
				Reply wrong = (i % 2 == 0) ? this.client.token(username, WRONG_PASSWORD, null)
						: this.client.passwordGrant(username, WRONG_PASSWORD, null);
				assertThat(wrong.status()).as("failure %d: %s", i + 1, wrong).isIn(400, 401);
			}

			Reply right = this.client.token(username, TestUsers.PASSWORD, null);
			Reply rightForm = this.client.passwordGrant(username, TestUsers.PASSWORD, null);

			assertThat(right.status()).as(right.toString()).isEqualTo(200);
			assertThat(rightForm.status()).as(rightForm.toString()).isEqualTo(200);
		}

	}

	/**
	 * Asserts 429 with {@code {"message":"Too many requests"}} and a Retry-After of whole
	 * seconds, at most one more than the time one token takes to return; returns it.
	 */
	private static long assertTooManyRequests(Reply reply, long secondsPerToken) {
		assertThat(reply.status()).as(reply.toString()).isEqualTo(429);
		assertThat(reply.isJson()).as(reply.toString()).isTrue();
		assertThat(reply.json().propertyNames()).containsExactly("message");
		assertThat(reply.text("message")).isEqualTo("Too many requests");
		return retryAfter(reply, secondsPerToken);
	}

	/** The OAuth password grant's 429: RFC 6749's error shape plus the message. */
	private static long assertTooManyRequestsOAuth(Reply reply, long secondsPerToken) {
		assertThat(reply.status()).as(reply.toString()).isEqualTo(429);
		assertThat(reply.isJson()).as(reply.toString()).isTrue();
		assertThat(reply.json().propertyNames()).containsExactlyInAnyOrder("error", "error_description", "message");
		assertThat(reply.text("error")).isEqualTo("invalid_request");
		assertThat(reply.text("error_description")).isEqualTo("Too many requests");
		assertThat(reply.text("message")).isEqualTo("Too many requests");
		return retryAfter(reply, secondsPerToken);
	}

	private static long retryAfter(Reply reply, long secondsPerToken) {
		String value = reply.header("Retry-After").orElseThrow(() -> new AssertionError("No Retry-After: " + reply));
		assertThat(value).as("Retry-After").matches("[1-9][0-9]*");
		long seconds = Long.parseLong(value);
		assertThat(seconds).as("Retry-After").isBetween(1L, secondsPerToken + 1);
		return seconds;
	}

	private static String newAddress() {
		int n = addresses.incrementAndGet();
		return "10." + ((n >> 16) & 0xff) + "." + ((n >> 8) & 0xff) + "." + (n & 0xff);
	}

	/**
	 * Starts the service with the small limits above, changed by {@code settings}
	 * ({@code key=value}).
	 */
	private static SeparateService start(String name, String... settings) {
		Stream<String> smallLimits = Stream.of("password.bcrypt_cost=4",
				"limits.failed_logins_per_user_and_address.capacity=" + FAILED_PER_USER_AND_ADDRESS,
				"limits.failed_logins_per_user_and_address.period="
						+ (FAILED_PER_USER_AND_ADDRESS * SECONDS_PER_FAILED_LOGIN) + "s",
				"limits.failed_logins_per_user.capacity=" + FAILED_PER_USER,
				"limits.failed_logins_per_user.period=" + (FAILED_PER_USER * SECONDS_PER_FAILED_LOGIN_OF_USER) + "s",
				"limits.token_requests_per_address.capacity=" + TOKEN_REQUESTS_PER_ADDRESS,
				"limits.token_requests_per_address.period=1m",
				"limits.registrations_per_address.capacity=" + REGISTRATIONS_PER_ADDRESS,
				"limits.registrations_per_address.period=1h");
		return SeparateService.start(dir.resolve(name), SECRET,
				Stream.concat(smallLimits, Stream.of(settings)).toArray(String[]::new));
	}

}
