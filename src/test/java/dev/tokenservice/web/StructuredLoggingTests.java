package dev.tokenservice.web;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

import dev.tokenservice.TokenServiceApplication;
import dev.tokenservice.support.Api;
import dev.tokenservice.support.Reply;
import dev.tokenservice.support.TestUsers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.logging.LoggingSystemProperty;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The log switch of the README's Production section: JSON lines (Spring Boot's ECS
 * format) with {@code logging.structured.format.console=ecs}, plain text by default, and
 * the request id on every line a request causes, in the {@code X-Request-Id} header and
 * in a 5xx body.
 * <p>
 * Logback is configured once per JVM, and an application context still open (the HTTP
 * suite's cached one) keeps Spring Boot from configuring it again; each test therefore
 * resets the logging system before it starts its own application. The plain-text test
 * runs last, so the JVM's logs are plain text again afterwards.
 */
@ExtendWith(OutputCaptureExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StructuredLoggingTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final HttpClient HTTP = HttpClient.newHttpClient();

	@TempDir
	Path dir;

	private ConfigurableApplicationContext context;

	@AfterEach
	void stop() {
		if (this.context != null) {
			this.context.close();
		}
		// Spring Boot passes the format to Logback as a system property that it never
		// overwrites: left behind, every later application in this JVM would log JSON.
		System.clearProperty(LoggingSystemProperty.CONSOLE_STRUCTURED_FORMAT.getEnvironmentVariableName());
	}

	@Test
	@Order(1)
	void failedLoginWhenEcsFormatThenAuditLineIsJsonWithRequestId(CapturedOutput output) {
		Api api = start("--logging.structured.format.console=ecs");
		String requestId = TestUsers.uniqueName("test-req-123");
		int printedBefore = output.getOut().length();

		Reply reply = failedLogin(api, requestId);

		assertThat(reply.status()).as(reply.toString()).isEqualTo(401);
		assertThat(reply.header("X-Request-Id")).hasValue(requestId);
		List<JsonNode> lines = jsonLinesOf(output.getOut().substring(printedBefore), requestId);
		assertThat(lines).isNotEmpty().allSatisfy((line) -> {
			assertThat(line.get("request_id").asString()).isEqualTo(requestId);
			assertThat(line.has("@timestamp")).isTrue();
		});
		JsonNode audit = lines.stream()
			.filter((line) -> "audit".equals(line.at("/log/logger").asString()))
			.findFirst()
			.orElseThrow(() -> new AssertionError("No audit line for " + requestId + " in " + lines));
		assertThat(audit.at("/log/level").asString()).isEqualTo("WARN");
		assertThat(audit.get("message").asString()).contains("event=login_failed", "reason=unknown_user");
	}

	@Test
	@Order(2)
	void requestWhenEcsFormatThenEveryLineIsJson(CapturedOutput output) {
		Api api = start("--logging.structured.format.console=ecs", "--http.access_log=true");
		int printedBefore = output.getOut().length();

		failedLogin(api, TestUsers.uniqueName("test-req"));
		TestUsers.registered(api, "structured");

		List<String> printed = output.getOut().substring(printedBefore).lines().filter((l) -> !l.isBlank()).toList();
		assertThat(printed).isNotEmpty().allSatisfy((line) -> assertThat(JSON.readTree(line).isObject()).isTrue());
	}

	@Test
	@Order(3)
	void hashingQueueFullWhenEcsFormatThen503BodyAndLogCarryTheRequestId(CapturedOutput output) {
		// Logins at BCrypt cost 12 take a while and may wait only 1 ms for one of the
		// (one per core) hashing threads: some of a burst are refused with 503.
		Api api = start("--logging.structured.format.console=ecs", "--password.bcrypt_cost=12",
				"--password.hashing_timeout=1ms");
		// More requests at once than the service has slots (one per core of this JVM).
		int burstSize = 2 * Runtime.getRuntime().availableProcessors() + 4;
		List<String> requestIds = IntStream.range(0, burstSize)
			.mapToObj((i) -> TestUsers.uniqueName("test-req-burst"))
			.toList();
		List<CompletableFuture<Reply>> burst = requestIds.stream().map((id) -> failedLoginAsync(api, id)).toList();
		List<Reply> replies = burst.stream().map(CompletableFuture::join).toList();

		List<Reply> refused = replies.stream().filter((reply) -> reply.status() == 503).toList();
		assertThat(refused).as("replies %s", replies).isNotEmpty();
		for (Reply reply : refused) {
			String requestId = reply.header("X-Request-Id").orElseThrow();
			assertThat(requestIds).contains(requestId);
			assertThat(reply.isJson()).isTrue();
			assertThat(reply.text("message")).isEqualTo("Service temporarily unavailable");
			assertThat(reply.text("request_id")).isEqualTo(requestId);
			assertThat(reply.header("Retry-After")).isPresent();
			assertThat(jsonLinesOf(output.getOut(), requestId))
				.anySatisfy((line) -> assertThat(line.get("message").asString()).contains("hashing queue full"));
		}
		assertThat(replies).allSatisfy((reply) -> assertThat(reply.status()).isIn(401, 503));
	}

	@Test
	@Order(4)
	void requestIdWhenUnsafeThenReplacedByGeneratedOne() {
		Api api = start();

		Reply reply = failedLogin(api, "evil id\" with quotes and spaces");

		assertThat(reply.header("X-Request-Id")).hasValueSatisfying(
				(id) -> assertThat(id).matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"));
	}

	@Test
	@Order(5)
	void failedLoginWhenDefaultFormatThenPlainTextLineWithRequestIdInBrackets(CapturedOutput output) {
		Api api = start();
		String requestId = TestUsers.uniqueName("test-req-plain");
		int printedBefore = output.getOut().length();

		Reply reply = failedLogin(api, requestId);

		assertThat(reply.header("X-Request-Id")).hasValue(requestId);
		List<String> lines = output.getOut()
			.substring(printedBefore)
			.lines()
			.filter((line) -> line.contains(requestId))
			.toList();
		assertThat(lines).isNotEmpty().allSatisfy((line) -> {
			assertThat(line).doesNotStartWith("{").contains("[" + requestId + "]");
			assertThat(line).containsPattern("^\\d{4}-\\d{2}-\\d{2}T");
		});
		assertThat(lines).anySatisfy((line) -> assertThat(line).contains(" audit ", "event=login_failed"));
	}

	/**
	 * A login is answered off the request thread: its access line still has the status
	 * sent and the request's id.
	 */
	@Test
	@Order(6)
	void loginWhenAccessLogOnThenItsLineHasTheStatusSentAndTheRequestId(CapturedOutput output) {
		Api api = start("--logging.structured.format.console=ecs", "--http.access_log=true");
		String requestId = TestUsers.uniqueName("test-req-access");

		Reply reply = failedLogin(api, requestId);

		assertThat(reply.status()).as(reply.toString()).isEqualTo(401);
		// Written once the exchange is complete, which may be just after the reply
		// arrived.
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(jsonLinesOf(output.getOut(), requestId))
				.filteredOn((line) -> "access".equals(line.at("/log/logger").asString()))
				.singleElement()
				.satisfies((line) -> assertThat(line.get("message").asString()).contains("\"POST /token\" 401 ")));
	}

	private Api start(String... extraArgs) {
		// Without this, an open context elsewhere in the JVM keeps its logging
		// configuration.
		LoggingSystem.get(getClass().getClassLoader()).cleanUp();
		List<String> args = new ArrayList<>(List.of("--server.port=0", "--data.dir=" + this.dir.resolve("data"),
				"--config.file=/dev/null", "--jwt.secret=structured-logging-secret-long-enough-for-hs256"));
		args.addAll(List.of(extraArgs));
		if (args.stream().noneMatch((arg) -> arg.startsWith("--password.bcrypt_cost="))) {
			args.add("--password.bcrypt_cost=4");
		}
		this.context = SpringApplication.run(TokenServiceApplication.class, args.toArray(String[]::new));
		return new Api(Integer.parseInt(this.context.getEnvironment().getProperty("local.server.port")));
	}

	private static Reply failedLogin(Api api, String requestId) {
		return failedLoginAsync(api, requestId).join();
	}

	/**
	 * A login of an unknown user (the audit logger reports it) under the given request
	 * id.
	 */
	private static CompletableFuture<Reply> failedLoginAsync(Api api, String requestId) {
		String body = "{\"username\":\"%s\",\"password\":\"Wrong-Password-42\"}"
			.formatted(TestUsers.uniqueName("nobody"));
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + "/token"))
			.timeout(Duration.ofSeconds(30))
			.header("Content-Type", "application/json")
			.header("X-Request-Id", requestId)
			.POST(BodyPublishers.ofString(body))
			.build();
		return HTTP.sendAsync(request, BodyHandlers.ofString())
			.thenApply((response) -> new Reply(response.statusCode(), response.headers(), response.body()));
	}

	/** The printed lines that mention the request id, each parsed as JSON. */
	private static List<JsonNode> jsonLinesOf(String printed, String requestId) {
		return printed.lines().filter((line) -> line.contains(requestId)).map(JSON::readTree).toList();
	}

}
