package dev.tokenservice.web;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.tokenservice.TokenServiceApplication;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * SIGTERM, as {@code docker stop} and Kubernetes send it, to the service running as a
 * separate JVM: a login in flight still gets its token, new connections are no longer
 * served, and the process exits by itself well within the shutdown timeout.
 */
class GracefulShutdownTests {

	private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

	/** The shutdown phase timeout given to the service, plus time to close the rest. */
	private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(15);

	private static final Pattern STARTED_ON_PORT = Pattern.compile("Tomcat started on port (\\d+)");

	private static final String SHUTDOWN_STARTED = "Commencing graceful shutdown";

	/** The admin the service creates at start-up, who may read the metrics. */
	private static final String ADMIN = "graceful-admin";

	private static final String PASSWORD = "Orchard-Lantern-5521-Quill";

	private static final String ADMIN_CREATED = "Created admin '" + ADMIN + "'";

	@TempDir
	Path dir;

	private Process service;

	@AfterEach
	void killService() throws InterruptedException {
		if (this.service != null && this.service.isAlive()) {
			this.service.destroyForcibly();
			this.service.waitFor(10, TimeUnit.SECONDS);
		}
	}

	@Test
	void sigtermWhenLoginInFlightThenLoginCompletesNewConnectionsRefusedAndProcessExits() throws Exception {
		Path log = this.dir.resolve("service.log");
		this.service = launch(log);
		int port = awaitPort(log);
		HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
		String adminToken = tokenOf(send(http, post(port, "/token", login())));

		Instant loginSent = Instant.now();
		CompletableFuture<HttpResponse<String>> inFlight = http.sendAsync(post(port, "/token", login()),
				BodyHandlers.ofString());
		awaitPostInFlight(http, port, adminToken);
		Instant sigterm = Instant.now();
		this.service.destroy();
		boolean shutdownLogged = awaitShutdownStarted(log);
		boolean loginStillRunning = !inFlight.isDone();
		String newConnection = tryNewConnection(port);

		HttpResponse<String> login = inFlight.get(EXIT_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		Instant loginDone = Instant.now();
		boolean exited = this.service.waitFor(EXIT_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		Duration exitAfter = Duration.between(sigterm, Instant.now());
		System.out.printf("Graceful shutdown: login sent %d ms before SIGTERM, still running when shutdown began: %s, "
				+ "answered %d ms after SIGTERM; new connection during shutdown: %s; exited after %d ms with %s%n",
				Duration.between(loginSent, sigterm).toMillis(), loginStillRunning,
				Duration.between(sigterm, loginDone).toMillis(), newConnection, exitAfter.toMillis(),
				exited ? this.service.exitValue() : "(still running)");

		// Otherwise the login finished before the signal and proves nothing about
		// requests in flight.
		assertThat(loginStillRunning).as("the login was still running when graceful shutdown began").isTrue();
		assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
		assertThat(login.body()).contains("\"token\":\"ey");
		assertThat(shutdownLogged).as("graceful shutdown began").isTrue();
		assertThat(newConnection).as("a new request while shutting down").doesNotStartWith("200");
		assertThat(exited).as("exited within %s of SIGTERM:%n%s", EXIT_TIMEOUT, Files.readString(log)).isTrue();
		// 143 = 128 + SIGTERM: the JVM ran its shutdown hooks and exited on the signal.
		assertThat(this.service.exitValue()).isIn(0, 143);
		assertThat(Files.readString(log)).contains("Graceful shutdown complete")
			.doesNotContain("Graceful shutdown aborted");
	}

	/**
	 * Waits until the service itself counts a POST in progress (the login: this poll is a
	 * GET), so the signal cannot overtake the request.
	 */
	private void awaitPostInFlight(HttpClient http, int port, String adminToken) throws Exception {
		HttpRequest activePosts = HttpRequest
			.newBuilder(URI
				.create("http://127.0.0.1:" + port + "/actuator/metrics/http.server.requests.active?tag=method:POST"))
			.header("Authorization", "Bearer " + adminToken)
			.timeout(Duration.ofSeconds(10))
			.build();
		Instant deadline = Instant.now().plusSeconds(30);
		while (Instant.now().isBefore(deadline)) {
			HttpResponse<String> metric = send(http, activePosts);
			if (metric.statusCode() == 200 && metric.body().matches(".*\"ACTIVE_TASKS\",\"value\":[1-9].*")) {
				return;
			}
			Thread.sleep(20);
		}
		fail("The login never showed up as a request in progress");
	}

	/** Whether the service logged the start of a graceful shutdown before it exited. */
	private boolean awaitShutdownStarted(Path log) throws IOException, InterruptedException {
		Instant deadline = Instant.now().plus(EXIT_TIMEOUT);
		while (Instant.now().isBefore(deadline) && this.service.isAlive()) {
			if (Files.readString(log).contains(SHUTDOWN_STARTED)) {
				return true;
			}
			Thread.sleep(20);
		}
		return Files.readString(log).contains(SHUTDOWN_STARTED);
	}

	/** A fresh client, so the request cannot ride on a connection opened before. */
	private static String tryNewConnection(int port) {
		HttpClient fresh = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(Duration.ofSeconds(2))
			.build();
		HttpRequest request = HttpRequest
			.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health/liveness"))
			.timeout(Duration.ofSeconds(3))
			.build();
		try {
			HttpResponse<String> response = fresh.send(request, BodyHandlers.ofString());
			return response.statusCode() + " " + response.body();
		}
		catch (IOException ex) {
			return ex.getClass().getSimpleName() + " (" + ex.getMessage() + ")";
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private Process launch(Path log) throws IOException {
		Path java = Path.of(System.getProperty("java.home"), "bin", "java");
		// BCrypt cost 14: a login takes a second or more, long enough to send SIGTERM
		// during it. server.port=0 avoids a race for a port; the log line names it.
		ProcessBuilder builder = new ProcessBuilder(java.toString(), "-XX:TieredStopAtLevel=1", "-cp",
				System.getProperty("java.class.path"), TokenServiceApplication.class.getName(), "--server.port=0",
				"--data.dir=" + this.dir.resolve("data"), "--config.file=/dev/null",
				"--jwt.secret=graceful-shutdown-secret-long-enough-for-hs256", "--password.bcrypt_cost=14",
				"--spring.lifecycle.timeout-per-shutdown-phase=10s", "--admin.username=" + ADMIN,
				"--admin.password=" + PASSWORD)
			.redirectErrorStream(true)
			.redirectOutput(log.toFile());
		return builder.start();
	}

	/** The port, once the service listens and has created its admin. */
	private int awaitPort(Path log) throws IOException, InterruptedException {
		Instant deadline = Instant.now().plus(START_TIMEOUT);
		while (Instant.now().isBefore(deadline)) {
			String text = Files.readString(log);
			Matcher started = STARTED_ON_PORT.matcher(text);
			if (started.find() && text.contains(ADMIN_CREATED)) {
				return Integer.parseInt(started.group(1));
			}
			if (!this.service.isAlive()) {
				fail("The service exited with %d:%n%s", this.service.exitValue(), text);
			}
			Thread.sleep(50);
		}
		return fail("The service did not start within %s:%n%s", START_TIMEOUT, Files.readString(log));
	}

	private static HttpResponse<String> send(HttpClient http, HttpRequest request)
			throws IOException, InterruptedException {
		return http.send(request, BodyHandlers.ofString());
	}

	private static HttpRequest post(int port, String path, String json) {
		return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
			.timeout(Duration.ofSeconds(30))
			.header("Content-Type", "application/json")
			.POST(BodyPublishers.ofString(json))
			.build();
	}

	private static String login() {
		return "{\"username\":\"" + ADMIN + "\",\"password\":\"" + PASSWORD + "\"}";
	}

	private static String tokenOf(HttpResponse<String> login) {
		Matcher token = Pattern.compile("\"token\":\"([^\"]+)\"").matcher(login.body());
		assertThat(token.find()).as("login: %d %s", login.statusCode(), login.body()).isTrue();
		return token.group(1);
	}

}
