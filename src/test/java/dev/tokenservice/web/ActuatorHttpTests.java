package dev.tokenservice.web;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;

import dev.tokenservice.support.HttpTestSupport;
import dev.tokenservice.support.Reply;
import dev.tokenservice.support.TestUsers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static dev.tokenservice.support.ProtectedEndpointAssertions.assertForbidden;
import static dev.tokenservice.support.ProtectedEndpointAssertions.assertUnauthorized;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The operator's endpoints over HTTP: health probes for anyone, build information and
 * metrics for admins only, and the service's own counters moving when requests happen.
 */
class ActuatorHttpTests extends HttpTestSupport {

	@Nested
	class Health {

		@ParameterizedTest(name = "{0}")
		@ValueSource(strings = { "/actuator/health", "/actuator/health/liveness", "/actuator/health/readiness" })
		void getWhenNoTokenThen200Up(String path) {
			Reply reply = api.get(path);

			assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
			assertThat(reply.isJson()).as("Content-Type %s", reply.header("Content-Type")).isTrue();
			assertThat(reply.text("status")).isEqualTo("UP");
			// Anyone may ask: no details (database product, disk paths) and not even the
			// components' names for anyone. That readiness includes the database shows
			// in DatabaseOutageTests: it turns DOWN while the database is cut off.
			assertThat(reply.body()).doesNotContain("\"details\"");
			assertThat(reply.json().has("components")).as(reply.toString()).isFalse();
		}

		/** API.md: every response body is JSON, the actuator's own refusals too. */
		@Test
		void getWhenUnknownHealthGroupThen404Json() {
			Reply reply = api.get("/actuator/health/no-such-group");

			assertThat(reply.status()).as(reply.toString()).isEqualTo(404);
			assertThat(reply.isJson()).as(reply.toString()).isTrue();
			assertThat(reply.text("message")).isEqualTo("Not Found");
		}

		/** Load balancers may probe with HEAD (RFC 9110 §9.3.2: GET without the body). */
		@ParameterizedTest(name = "{0}")
		@ValueSource(strings = { "/actuator/health", "/actuator/health/liveness", "/actuator/health/readiness" })
		void headWhenNoTokenThen200WithoutBody(String path) {
			Reply reply = api.authorized("HEAD", path, null, null, null);

			assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
			assertThat(reply.body()).isEmpty();
		}

	}

	@Nested
	class OperatorEndpoints {

		private String userToken;

		@BeforeEach
		void logInUser() {
			this.userToken = api.tokenFor(TestUsers.registered(api, "actuator"), TestUsers.PASSWORD);
		}

		@ParameterizedTest(name = "{0}")
		@ValueSource(strings = { "/actuator/info", "/actuator/prometheus", "/actuator/metrics",
				"/actuator/metrics/tokenservice.tokens.issued", "/actuator" })
		void getWhenNoTokenThen401(String path) {
			assertUnauthorized(api.get(path), "Authentication required");
		}

		@Test
		void metricWhenAdminAndUnknownNameThen404Json() {
			Reply reply = api.withToken("GET", "/actuator/metrics/no.such.metric", adminToken());

			assertThat(reply.status()).as(reply.toString()).isEqualTo(404);
			assertThat(reply.isJson()).as(reply.toString()).isTrue();
			assertThat(reply.text("message")).isEqualTo("Not Found");
		}

		@ParameterizedTest(name = "{0}")
		@ValueSource(strings = { "/actuator/info", "/actuator/prometheus", "/actuator/metrics",
				"/actuator/metrics/tokenservice.tokens.issued", "/actuator" })
		void getWhenUserTokenThen403(String path) {
			assertForbidden(api.withToken("GET", path, this.userToken));
		}

		@ParameterizedTest(name = "{0}")
		@ValueSource(strings = { "/actuator/info", "/actuator/prometheus", "/actuator/metrics" })
		void getWhenForgedTokenThen401(String path) {
			assertUnauthorized(api.withToken("GET", path, this.userToken + "x"), "Invalid token");
		}

		@Test
		void infoWhenAdminThenBuildVersionAndGitCommit() throws IOException {
			Reply reply = api.withToken("GET", "/actuator/info", adminToken());

			assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
			assertThat(reply.json().at("/build/version").asString()).isEqualTo(buildInfo().getProperty("build.version"))
				.isNotBlank();
			// A build outside a git checkout (a Docker context) has no commit to show.
			String commit = gitProperties().getProperty("git.commit.id");
			if (commit != null) {
				assertThat(reply.json().at("/git/commit/id").asString()).hasSizeGreaterThanOrEqualTo(7)
					.satisfies((shortId) -> assertThat(commit).startsWith(shortId));
			}
		}

		@Test
		void metricsWhenAdminThenListsTheServiceCounters() {
			Reply reply = api.withToken("GET", "/actuator/metrics", adminToken());

			assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
			assertThat(reply.json().get("names").valueStream().map((name) -> name.asString()))
				.contains("tokenservice.tokens.issued", "tokenservice.token.validations", "http.server.requests");
		}

		@Test
		void metricWhenAdminThenCountOfTokensIssued() {
			Reply reply = api.withToken("GET", "/actuator/metrics/tokenservice.tokens.issued", adminToken());

			assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
			assertThat(reply.text("name")).isEqualTo("tokenservice.tokens.issued");
			assertThat(reply.json().at("/measurements/0/value").asDouble()).isPositive();
		}

		@Test
		void prometheusWhenAdminThenTextFormat() {
			Reply reply = api.withToken("GET", "/actuator/prometheus", adminToken());

			assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
			assertThat(reply.header("Content-Type")).hasValueSatisfying((type) -> assertThat(type).startsWith("text/"));
			assertThat(reply.body()).contains("# TYPE tokenservice_tokens_issued_total counter",
					"jvm_memory_used_bytes", "hikaricp_connections_active");
		}

	}

	@Nested
	class Counters {

		private PrometheusScrape before;

		private String username;

		@BeforeEach
		void registerAndScrape() {
			this.username = TestUsers.registered(api, "counted");
			this.before = scrape();
		}

		@Test
		void tokenWhenIssuedThenTokensIssuedIncreases() {
			api.tokenFor(this.username, TestUsers.PASSWORD);
			api.tokenFor(this.username, TestUsers.PASSWORD);

			assertIncreasedBy("tokenservice_tokens_issued_total", "", 2);
		}

		@Test
		void tokenWhenPasswordWrongThenFailedLoginsByReasonIncreases() {
			assertThat(api.token(this.username, "Wrong-Password-42").status()).isEqualTo(401);
			assertThat(api.token(TestUsers.uniqueName("nobody"), "Wrong-Password-42").status()).isEqualTo(401);
			assertThat(api.token(TestUsers.uniqueName("nobody"), "Wrong-Password-42").status()).isEqualTo(401);

			PrometheusScrape after = scrape();
			assertThat(after.value("tokenservice_logins_failed_total", "reason=\"wrong_password\""))
				.isGreaterThanOrEqualTo(
						this.before.value("tokenservice_logins_failed_total", "reason=\"wrong_password\"") + 1);
			assertThat(after.value("tokenservice_logins_failed_total", "reason=\"unknown_user\""))
				.isGreaterThanOrEqualTo(
						this.before.value("tokenservice_logins_failed_total", "reason=\"unknown_user\"") + 2);
		}

		@Test
		void tokenStatusWhenCheckedThenValidationsByOutcomeIncrease() {
			String token = api.tokenFor(this.username, TestUsers.PASSWORD);
			assertThat(api.tokenStatus(token).status()).isEqualTo(200);
			assertThat(api.tokenStatus(token).status()).isEqualTo(200);
			assertThat(api.tokenStatus("not-a-token").status()).isEqualTo(401);

			assertIncreasedBy("tokenservice_token_validations_total", "outcome=\"valid\"", 2);
			assertIncreasedBy("tokenservice_token_validations_total", "outcome=\"invalid\"", 1);
		}

		@Test
		void tokenStatusWhenCalledThenLatencyHistogramPerEndpointWithoutTheToken() {
			String token = api.tokenFor(this.username, TestUsers.PASSWORD);
			assertThat(api.tokenStatus(token).status()).isEqualTo(200);

			String histogram = "uri=\"/token_status/{*token}\"";
			assertIncreasedBy("http_server_requests_seconds_count", histogram, 1);
			PrometheusScrape after = scrape();
			assertThat(after.value("http_server_requests_seconds_bucket", histogram, "le=\"+Inf\""))
				.isGreaterThanOrEqualTo(1);
			assertThat(after.lines("http_server_requests_seconds_bucket", histogram)).hasSizeGreaterThan(10);
			// The uri tag is the route template: no token ever becomes a label value.
			assertThat(after.text()).doesNotContain(token);
		}

		private void assertIncreasedBy(String name, String label, double increase) {
			double before = this.before.value(name, label);
			assertThat(scrape().value(name, label)).as("%s{%s}, was %s", name, label, before)
				.isGreaterThanOrEqualTo(before + increase);
		}

		private PrometheusScrape scrape() {
			Reply reply = api.withToken("GET", "/actuator/prometheus", adminToken());
			assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
			return new PrometheusScrape(reply.body());
		}

	}

	private static Properties buildInfo() throws IOException {
		return classpathProperties("META-INF/build-info.properties");
	}

	private static Properties gitProperties() throws IOException {
		return classpathProperties("git.properties");
	}

	private static Properties classpathProperties(String name) throws IOException {
		Properties properties = new Properties();
		try (InputStream in = ActuatorHttpTests.class.getClassLoader().getResourceAsStream(name)) {
			if (in != null) {
				properties.load(in);
			}
		}
		return properties;
	}

	/** One scrape in Prometheus's text format, read sample by sample. */
	record PrometheusScrape(String text) {

		/**
		 * The samples of a metric whose labels contain every given {@code key="value"}.
		 */
		List<String> lines(String name, String... labels) {
			return this.text.lines()
				.filter((line) -> line.startsWith(name + "{") || line.startsWith(name + " "))
				.filter((line) -> Arrays.stream(labels).allMatch(line::contains))
				.toList();
		}

		/** The sum of the matching samples; 0 when none exist yet. */
		double value(String name, String... labels) {
			return lines(name, labels).stream()
				.mapToDouble((line) -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
				.sum();
		}

	}

}
