package dev.tokenservice.account;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

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

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bounded BCrypt queue over HTTP: one hashing thread per core, the other requests
 * wait in line up to {@code password.hashing_timeout} and then get 503, so a burst is
 * absorbed and a login storm cannot starve {@code /token_status}. Each nested class
 * starts its own application with the BCrypt cost it needs. Tagged with the contract
 * suite, so its PostgreSQL run covers this too.
 */
@Tag(HttpTestSupport.CONTRACT_TAG)
class HashingQueueHttpTests {

	private static final String SECRET = "hashing-queue-test-secret-that-is-long-enough-for-hs256";

	@TempDir
	static Path dir;

	/**
	 * Cost 12 (about a quarter of a second per hash) and a 300 ms wait: a burst cannot
	 * all be served in time. Limits are off: only the queue is under test.
	 */
	@Nested
	class WhenWaitExceedsTimeout extends WithService {

		WhenWaitExceedsTimeout() {
			super("slow", "password.bcrypt_cost=12", "password.hashing_timeout=300ms", "limits.enabled=false");
		}

		@Test
		void tokenWhenBurstWaitsLongerThanHashingTimeoutThenSome503WithRetryAfterOthers200Never500() throws Exception {
			String username = TestUsers.uniqueName("queued");
			long started = System.nanoTime();
			Reply created = this.client.register(username, null);
			long hashMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
			assertThat(created.status()).as(created.toString()).isEqualTo(201);
			int burst = 4 * Runtime.getRuntime().availableProcessors() + 8;

			List<Reply> replies = Concurrently.send(burst,
					(i) -> this.client.token(username, TestUsers.PASSWORD, null));

			long ok = replies.stream().filter((reply) -> reply.status() == 200).count();
			long busy = replies.stream().filter((reply) -> reply.status() == 503).count();
			System.out.printf(
					"hashing queue, cost 12 (one registration %d ms), timeout 300ms, %d cores:"
							+ " burst of %d logins gave %d x 200 and %d x 503%n",
					hashMillis, Runtime.getRuntime().availableProcessors(), burst, ok, busy);
			assertThat(replies).extracting(Reply::status).containsOnly(200, 503);
			assertThat(ok).isPositive();
			assertThat(busy).isPositive();
			replies.stream().filter((reply) -> reply.status() == 503).forEach(HashingQueueHttpTests::assertBusy);
			replies.stream()
				.filter((reply) -> reply.status() == 200)
				.forEach((reply) -> assertThat(reply.text("token")).isNotBlank());
			// Nothing lasting: once the queue drains, the same login works.
			Reply later = this.client.token(username, TestUsers.PASSWORD, null);
			assertThat(later.status()).as(later.toString()).isEqualTo(200);
		}

		@Test
		void registerWhenBurstWaitsLongerThanHashingTimeoutThen503CreatesNobody() throws Exception {
			int burst = 4 * Runtime.getRuntime().availableProcessors() + 8;
			List<String> usernames = new ArrayList<>();
			for (int i = 0; i < burst; i++) {
				usernames.add(TestUsers.uniqueName("queued-signup"));
			}

			List<Reply> replies = Concurrently.send(burst, (i) -> this.client.register(usernames.get(i), null));

			assertThat(replies).extracting(Reply::status).containsOnly(201, 503);
			assertThat(replies).extracting(Reply::status).contains(201, 503);
			List<String> created = new ArrayList<>();
			List<String> refused = new ArrayList<>();
			for (int i = 0; i < burst; i++) {
				if (replies.get(i).status() == 503) {
					assertBusy(replies.get(i));
					refused.add(usernames.get(i));
				}
				else {
					created.add(usernames.get(i));
				}
			}
			// The refused registrations left no user behind: each name is still free.
			assertThat(usersNamed(created)).isEqualTo(created.size());
			assertThat(usersNamed(refused)).isZero();
			Reply again = this.client.register(refused.get(0), null);
			assertThat(again.status()).as(again.toString()).isEqualTo(201);
		}

		private long usersNamed(List<String> usernames) {
			NamedParameterJdbcTemplate jdbc = new NamedParameterJdbcTemplate(
					this.client.context().getBean(JdbcTemplate.class));
			Long count = jdbc.queryForObject("select count(*) from users where username in (:names)",
					Map.of("names", usernames), Long.class);
			return (count != null) ? count : -1;
		}

	}

	/**
	 * Cost 12, room for one request in the queue and a wait of a minute: any 503 in a
	 * test that ends within seconds was refused at once because the queue was full.
	 */
	@Nested
	class WhenQueueIsFull extends WithService {

		WhenQueueIsFull() {
			super("full", "password.bcrypt_cost=12", "password.hashing_queue=1", "password.hashing_timeout=60s",
					"limits.enabled=false");
		}

		@Test
		void tokenWhenBurstOverflowsQueueThenSome503AtOnceOthers200() throws Exception {
			String username = TestUsers.uniqueName("overflow");
			assertThat(this.client.register(username, null).status()).isEqualTo(201);
			int burst = 4 * Runtime.getRuntime().availableProcessors() + 8;

			long started = System.nanoTime();
			List<Reply> replies = Concurrently.send(burst,
					(i) -> this.client.token(username, TestUsers.PASSWORD, null));
			long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);

			assertThat(seconds).as("the burst took far less than password.hashing_timeout").isLessThan(30);
			assertThat(replies).extracting(Reply::status).containsOnly(200, 503).contains(200, 503);
			replies.stream().filter((reply) -> reply.status() == 503).forEach(HashingQueueHttpTests::assertBusy);
			Reply later = this.client.token(username, TestUsers.PASSWORD, null);
			assertThat(later.status()).as(later.toString()).isEqualTo(200);
		}

	}

	/**
	 * Cost 12, room for one request in the queue, and a limit of two failed logins:
	 * guesses over the limit are refused on the request thread and never take a place in
	 * the queue, so they cannot crowd out other users' logins.
	 */
	@Nested
	class WhenThrottled extends WithService {

		WhenThrottled() {
			super("throttled", "password.bcrypt_cost=12", "password.hashing_queue=1", "password.hashing_timeout=60s",
					"limits.failed_logins_per_user_and_address.capacity=2");
		}

		@Test
		void tokenWhenBurstOfGuessesOverTheLimitThenAll429NoneQueued() throws Exception {
			String username = TestUsers.uniqueName("guessed");
			assertThat(this.client.register(username, null).status()).isEqualTo(201);
			for (int i = 0; i < 2; i++) {
				assertThat(this.client.token(username, "Wrong-Password-" + i, null).status()).isEqualTo(401);
			}
			int burst = 4 * Runtime.getRuntime().availableProcessors() + 8;

			List<Reply> replies = Concurrently.send(burst,
					(i) -> this.client.token(username, "Wrong-Password-again-" + i, null));

			assertThat(replies).extracting(Reply::status).containsOnly(429);
		}

	}

	/**
	 * Cost 8 with the default 10 s wait and the default limits, behind a trusted proxy so
	 * that each client has its own address.
	 */
	@Nested
	class WhenQueueAbsorbsBurst extends WithService {

		WhenQueueAbsorbsBurst() {
			super("absorbing", "password.bcrypt_cost=8", "server.forward-headers-strategy=native",
					"server.tomcat.remoteip.internal-proxies=127\\.0\\.0\\.1");
		}

		@Test
		void registerAndTokenWhenBurstOf100FromDistinctAddressesThenAll201And200() throws Exception {
			int burst = 100;
			List<String> usernames = new ArrayList<>();
			for (int i = 0; i < burst; i++) {
				usernames.add(TestUsers.uniqueName("absorbed"));
			}

			long started = System.nanoTime();
			List<Reply> registrations = Concurrently.send(burst,
					(i) -> this.client.register(usernames.get(i), "10.20." + (i / 250) + "." + (i % 250 + 1)));
			long registered = System.nanoTime();
			List<Reply> logins = Concurrently.send(burst, (i) -> this.client.token(usernames.get(i), TestUsers.PASSWORD,
					"10.30." + (i / 250) + "." + (i % 250 + 1)));
			long loggedIn = System.nanoTime();

			System.out.printf(
					"hashing queue, cost 8, timeout 10s: 100 concurrent registrations in %d ms,"
							+ " 100 concurrent logins in %d ms%n",
					TimeUnit.NANOSECONDS.toMillis(registered - started),
					TimeUnit.NANOSECONDS.toMillis(loggedIn - registered));
			assertThat(registrations).extracting(Reply::status).containsOnly(201);
			assertThat(logins).extracting(Reply::status).containsOnly(200);
			assertThat(logins).allSatisfy((login) -> assertThat(login.text("token")).isNotBlank());
		}

	}

	/**
	 * Cost 10 with limits off (a load test behind a throttling gateway): sixteen clients
	 * keep every hashing thread busy, and outnumber Tomcat's request threads (four here),
	 * which a login waiting for its hash must not hold.
	 */
	@Nested
	class WhenTokenEndpointSaturated extends WithService {

		private static final int LOGIN_THREADS = 16;

		private static final int STATUS_CALLS = 300;

		WhenTokenEndpointSaturated() {
			super("saturated", "password.bcrypt_cost=10", "limits.enabled=false", "server.tomcat.threads.max=4",
					"server.tomcat.threads.min-spare=4");
		}

		@Test
		void tokenStatusWhenLoginsSaturateHashingThenAllAnswer200Quickly() throws Exception {
			String username = TestUsers.uniqueName("status-checker");
			assertThat(this.client.register(username, null).status()).isEqualTo(201);
			Reply login = this.client.token(username, TestUsers.PASSWORD, null);
			assertThat(login.status()).as(login.toString()).isEqualTo(200);
			String token = login.text("token");
			long[] idle = statusLatencies(token, 50);

			AtomicBoolean running = new AtomicBoolean(true);
			ConcurrentLinkedQueue<Integer> loginStatuses = new ConcurrentLinkedQueue<>();
			ExecutorService loaders = Executors.newFixedThreadPool(LOGIN_THREADS);
			long[] loaded;
			int loginsDuringProbe;
			try {
				for (int i = 0; i < LOGIN_THREADS; i++) {
					loaders.submit(() -> {
						while (running.get()) {
							loginStatuses.add(this.client.token(username, TestUsers.PASSWORD, null).status());
						}
					});
				}
				TimeUnit.MILLISECONDS.sleep(500);
				int before = loginStatuses.size();
				loaded = statusLatencies(token, STATUS_CALLS);
				loginsDuringProbe = loginStatuses.size() - before;
			}
			finally {
				running.set(false);
				loaders.shutdown();
				assertThat(loaders.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
			}

			double idleMedian = median(idle);
			double loadedMedian = median(loaded);
			System.out.printf(
					"token_status with %d threads logging in at cost 10 on %d cores: %d logins during %d status calls;"
							+ " status median %.1f ms, p90 %.1f ms, max %.1f ms (idle median %.1f ms)%n",
					LOGIN_THREADS, Runtime.getRuntime().availableProcessors(), loginsDuringProbe, STATUS_CALLS,
					loadedMedian, percentile(loaded, 90), percentile(loaded, 100), idleMedian);
			assertThat(loginsDuringProbe).as("logins completed while probing").isPositive();
			assertThat(loginStatuses).containsOnly(200);
			// Starved, /token_status waits behind hashes for seconds; a busy 2-core CI
			// machine slows a healthy one to a few hundred ms at most.
			assertThat(loadedMedian).as("median /token_status latency in ms under load").isLessThan(1000);
			assertThat(percentile(loaded, 90)).as("p90 /token_status latency in ms under load").isLessThan(2000);
		}

		/**
		 * Calls /token_status one after another; each must answer 200, and all within a
		 * minute (a starved endpoint fails here rather than holding the build). In
		 * nanoseconds.
		 */
		private long[] statusLatencies(String token, int calls) {
			long[] latencies = new long[calls];
			long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
			for (int i = 0; i < calls; i++) {
				assertThat(System.nanoTime()).as("%d of %d status calls done after a minute", i, calls)
					.isLessThan(deadline);
				long started = System.nanoTime();
				Reply status = this.client.get("/token_status/" + token);
				latencies[i] = System.nanoTime() - started;
				assertThat(status.status()).as("status call %d: %s", i + 1, status).isEqualTo(200);
				assertThat(status.text("message")).isEqualTo("Token is valid");
			}
			return latencies;
		}

	}

	/**
	 * 503, a Retry-After in whole seconds, and the request id the failure was logged
	 * under.
	 */
	private static void assertBusy(Reply reply) {
		assertThat(reply.status()).as(reply.toString()).isEqualTo(503);
		assertThat(reply.isJson()).as(reply.toString()).isTrue();
		assertThat(reply.json().propertyNames()).containsExactlyInAnyOrder("message", "request_id");
		assertThat(reply.text("message")).isEqualTo("Service temporarily unavailable");
		assertThat(reply.text("request_id")).isNotBlank().isEqualTo(reply.header("X-Request-Id").orElseThrow());
		assertThat(reply.header("Retry-After")).hasValueSatisfying((value) -> assertThat(value).matches("[1-9][0-9]*"));
	}

	private static double median(long[] nanos) {
		return percentile(nanos, 50);
	}

	/** The nearest-rank percentile, in milliseconds. */
	private static double percentile(long[] nanos, int percent) {
		long[] sorted = nanos.clone();
		Arrays.sort(sorted);
		int rank = Math.max(1, (int) Math.ceil(percent / 100.0 * sorted.length));
		return sorted[rank - 1] / 1_000_000.0;
	}

	/**
	 * A nested class's own application, started once before its tests with
	 * {@code settings} ({@code key=value}) over the defaults.
	 */
	@TestInstance(Lifecycle.PER_CLASS)
	abstract class WithService {

		private final String name;

		private final String[] settings;

		SeparateService client;

		WithService(String name, String... settings) {
			this.name = name;
			this.settings = settings;
		}

		@BeforeAll
		void startService() {
			this.client = SeparateService.start(dir.resolve(this.name), SECRET, this.settings);
		}

		@AfterAll
		void stopService() {
			this.client.close();
		}

	}

}
