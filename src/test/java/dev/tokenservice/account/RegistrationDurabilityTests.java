package dev.tokenservice.account;

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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import dev.tokenservice.TokenServiceApplication;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Proves that a {@code 201} from {@code POST /register-user} survives {@code kill -9} of
 * the service straight after the response, by running the service as a separate JVM.
 */
class RegistrationDurabilityTests {

	private static final int USERS = 20;

	private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

	private static final Pattern STARTED_ON_PORT = Pattern.compile("Tomcat started on port (\\d+)");

	private final HttpClient http = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(2))
		.build();

	private final List<Process> processes = new ArrayList<>();

	@TempDir
	Path dir;

	@AfterEach
	void killProcesses() throws InterruptedException {
		for (Process process : this.processes) {
			process.destroyForcibly();
			process.waitFor(10, TimeUnit.SECONDS);
		}
	}

	@Test
	void registerWhenServiceKilledRightAfter201ThenEveryUserCanLogInAfterRestart() throws Exception {
		List<String> usernames = IntStream.rangeClosed(1, USERS).mapToObj((i) -> "durable-" + i).toList();
		Process first = launch("first.log");
		int firstPort = awaitPort(first, this.dir.resolve("first.log"));
		List<CompletableFuture<HttpResponse<String>>> pending = usernames.stream()
			.map((username) -> this.http.sendAsync(postJson(firstPort, "/register-user", register(username)),
					BodyHandlers.ofString()))
			.toList();
		List<HttpResponse<String>> registered = pending.stream().map(CompletableFuture::join).toList();
		// SIGKILL on Linux: no shutdown hook, no connection pool close, no H2 checkpoint.
		first.destroyForcibly();
		assertThat(first.waitFor(10, TimeUnit.SECONDS)).isTrue();
		assertThat(registered).allSatisfy((response) -> assertThat(response.statusCode()).isEqualTo(201));

		Process second = launch("second.log");
		int secondPort = awaitPort(second, this.dir.resolve("second.log"));
		for (String username : usernames) {
			HttpResponse<String> login = send(postJson(secondPort, "/token", login(username)));
			assertThat(login.statusCode()).as("POST /token for %s after kill -9", username).isEqualTo(200);
			assertThat(login.body()).contains("\"token\":\"ey");
		}
		assertThat(send(postJson(secondPort, "/token", login("never-registered"))).statusCode()).isEqualTo(401);
	}

	private Process launch(String logName) throws IOException {
		Path java = Path.of(System.getProperty("java.home"), "bin", "java");
		// server.port=0 avoids a race for a "free" port; the log line gives the real one.
		ProcessBuilder builder = new ProcessBuilder(java.toString(), "-XX:TieredStopAtLevel=1", "-cp",
				System.getProperty("java.class.path"), TokenServiceApplication.class.getName(), "--server.port=0",
				"--data.dir=" + this.dir.resolve("data"), "--config.file=/dev/null", "--password.bcrypt_cost=4")
			.redirectErrorStream(true)
			.redirectOutput(this.dir.resolve(logName).toFile());
		Process process = builder.start();
		this.processes.add(process);
		return process;
	}

	private int awaitPort(Process process, Path log) throws IOException, InterruptedException {
		Instant deadline = Instant.now().plus(START_TIMEOUT);
		while (Instant.now().isBefore(deadline)) {
			if (!process.isAlive()) {
				fail("The service exited with " + process.exitValue() + ":%n%s", Files.readString(log));
			}
			Matcher started = STARTED_ON_PORT.matcher(Files.readString(log));
			if (started.find()) {
				int port = Integer.parseInt(started.group(1));
				if (answers(port)) {
					return port;
				}
			}
			Thread.sleep(100);
		}
		return fail("The service did not answer within %s:%n%s", START_TIMEOUT, Files.readString(log));
	}

	private boolean answers(int port) throws InterruptedException {
		try {
			send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/token_status")).build());
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	private HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
		return this.http.send(request, BodyHandlers.ofString());
	}

	private static HttpRequest postJson(int port, String path, String body) {
		return HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
			.timeout(Duration.ofSeconds(10))
			.header("Content-Type", "application/json")
			.POST(BodyPublishers.ofString(body))
			.build();
	}

	private static String register(String username) {
		return "{\"username\":\"%s\",\"password\":\"%s\",\"email\":\"%s@example.com\"}".formatted(username,
				passwordOf(username), username);
	}

	private static String login(String username) {
		return "{\"username\":\"%s\",\"password\":\"%s\"}".formatted(username, passwordOf(username));
	}

	private static String passwordOf(String username) {
		return "Orchard-" + Integer.toHexString(username.hashCode()) + "-Quill";
	}

}
