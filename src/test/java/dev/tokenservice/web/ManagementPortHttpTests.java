package dev.tokenservice.web;

import java.nio.file.Path;

import dev.tokenservice.support.Api;
import dev.tokenservice.support.HttpTestSupport;
import dev.tokenservice.support.Reply;
import dev.tokenservice.support.TestDatabase;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The actuator on a port of its own ({@code management.server.port}), as README
 * "Production" suggests for monitoring: open there without a token, gone from the
 * service's port, and the service's own rules unchanged.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "management.server.port=0", "management.server.address=127.0.0.1", "admin.username=ops",
				"admin.password=" + ManagementPortHttpTests.ADMIN_PASSWORD })
@Tag(HttpTestSupport.CONTRACT_TAG)
class ManagementPortHttpTests {

	static final String ADMIN_PASSWORD = "Operator-Password-For-Tests-7";

	@TempDir
	static Path dataDir;

	@LocalServerPort
	private int port;

	@LocalManagementPort
	private int managementPort;

	@DynamicPropertySource
	static void ownDatabase(DynamicPropertyRegistry registry) {
		registry.add("data.dir", () -> dataDir.toString());
		TestDatabase.register(registry, "management");
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(
			strings = { "/actuator/prometheus", "/actuator/info", "/actuator/metrics", "/actuator/health/readiness" })
	void getOnManagementPortWhenNoTokenThen200(String path) {
		Reply reply = new Api(this.managementPort).get(path);

		assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
	}

	@Test
	void prometheusOnManagementPortWhenNoTokenThenCountsTheServicePortsRequests() {
		assertThat(new Api(this.port).get("/token_status/not-a-token").status()).isEqualTo(401);

		Reply reply = new Api(this.managementPort).get("/actuator/prometheus");

		assertThat(reply.body()).contains("tokenservice_token_validations_total{outcome=\"invalid\"",
				"http_server_requests_seconds_count{");
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "/actuator/prometheus", "/actuator/info", "/actuator/metrics" })
	void getOnServicePortWhenAdminThen404(String path) {
		Api api = new Api(this.port);
		Reply reply = api.withToken("GET", path, api.tokenFor("ops", ADMIN_PASSWORD));

		assertThat(reply.status()).as(reply.toString()).isEqualTo(404);
		assertThat(reply.text("message")).isEqualTo("Not Found");
	}

	/** Nothing there to authenticate for: no 401 asking for a token. */
	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "/actuator/prometheus", "/actuator/info", "/actuator/metrics" })
	void getOnServicePortWhenNoTokenThen404(String path) {
		Reply reply = new Api(this.port).get(path);

		assertThat(reply.status()).as(reply.toString()).isEqualTo(404);
		assertThat(reply.text("message")).isEqualTo("Not Found");
	}

	@Test
	void protectedEndpointOnServicePortWhenNoTokenThenStill401() {
		Reply reply = new Api(this.port).get("/me");

		assertThat(reply.status()).as(reply.toString()).isEqualTo(401);
		assertThat(reply.text("message")).isEqualTo("Authentication required");
	}

}
