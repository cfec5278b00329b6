package dev.tokenservice.token;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.SignedJWT;
import dev.tokenservice.TokenServiceApplication;
import dev.tokenservice.config.InvalidConfigurationException;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Starts the whole application with an empty {@code jwt.secret} and checks the secret it
 * generates: owner-only, long enough, never logged, and kept across restarts so earlier
 * tokens stay valid.
 */
@ExtendWith(OutputCaptureExtension.class)
class GeneratedSecretTests {

	private static final String ALICE = """
			{"username":"alice","password":"Sun-Orchard-8142","email":"alice@example.com"}""";

	private static final HttpClient http = HttpClient.newHttpClient();

	private static final JsonMapper json = JsonMapper.builder().build();

	@TempDir
	Path dir;

	@Nested
	class FirstStart {

		@ParameterizedTest(name = "{0}")
		@CsvSource({ "HS256, 32", "HS384, 48", "HS512, 64" })
		void startWhenSecretEmptyThenWritesOwnerOnlyFileWithEnoughRandomBytes(String algorithm, int bytes)
				throws IOException {
			try (ConfigurableApplicationContext context = start("--jwt.algorithm=" + algorithm)) {
				Path file = secretFile();
				assertThat(file).isRegularFile();
				assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
				String secret = Files.readString(file);
				assertThat(secret).matches("[A-Za-z0-9_-]+");
				assertThat(Base64.getUrlDecoder().decode(secret)).hasSize(bytes);
				assertThat(file.resolveSibling("jwt-secret.tmp")).doesNotExist();
			}
		}

		@Test
		void startWhenSecretEmptyThenLogsFilePathButNeverTheSecret(CapturedOutput output) throws IOException {
			try (ConfigurableApplicationContext context = start()) {
				String secret = Files.readString(secretFile()).trim();
				assertThat(output.getAll()).contains("signing with the newly generated secret in " + secretFile())
					.doesNotContain(secret);
			}
		}

		@Test
		void startWhenSecretGivenThenWritesNoSecretFile(CapturedOutput output) {
			String secret = "an-operator-managed-secret-of-48-bytes-for-hs256";
			try (ConfigurableApplicationContext context = start("--jwt.secret=" + secret)) {
				assertThat(secretFile()).doesNotExist();
				assertThat(output.getAll()).doesNotContain(secret).doesNotContain("jwt.secret is empty");
			}
		}

	}

	@Nested
	class Restart {

		@Test
		void restartWhenSecretGeneratedThenReusesFileAndEarlierTokenStaysValid(CapturedOutput output) throws Exception {
			String token;
			String secretBefore;
			try (ConfigurableApplicationContext context = start()) {
				int port = portOf(context);
				assertThat(post(port, "/register-user", ALICE).statusCode()).isEqualTo(201);
				HttpResponse<String> issued = post(port, "/token", ALICE);
				assertThat(issued.statusCode()).isEqualTo(200);
				token = json.readTree(issued.body()).path("token").asString();
				assertThat(token).isNotBlank();
				secretBefore = Files.readString(secretFile());
			}
			try (ConfigurableApplicationContext context = start()) {
				assertThat(Files.readString(secretFile())).isEqualTo(secretBefore);
				assertThat(output.getAll()).contains("signing with the generated secret in " + secretFile());
				HttpResponse<String> status = get(portOf(context), "/token_status/" + token);
				assertThat(status.statusCode()).isEqualTo(200);
				assertThat(json.readTree(status.body()).path("username").asString()).isEqualTo("alice");
			}
		}

		/**
		 * What an operator does for a second instance, and what the tutorial's own PyJWT
		 * code does: take the file's content as the secret.
		 */
		@Test
		void restartWhenFileContentGivenAsJwtSecretThenEarlierTokenStaysValid() throws Exception {
			String token;
			try (ConfigurableApplicationContext context = start()) {
				int port = portOf(context);
				assertThat(post(port, "/register-user", ALICE).statusCode()).isEqualTo(201);
				token = json.readTree(post(port, "/token", ALICE).body()).path("token").asString();
			}
			String secret = Files.readString(secretFile());
			assertThat(SignedJWT.parse(token).verify(new MACVerifier(secret))).isTrue();
			Files.delete(secretFile());

			try (ConfigurableApplicationContext context = start("--jwt.secret=" + secret)) {
				assertThat(get(portOf(context), "/token_status/" + token).statusCode()).isEqualTo(200);
			}
		}

		@Test
		void restartWhenAlgorithmNeedsLongerKeyThanGeneratedThenFailsNamingJwtSecret(CapturedOutput output)
				throws IOException {
			try (ConfigurableApplicationContext context = start("--jwt.algorithm=HS256")) {
				assertThat(secretFile()).isRegularFile();
			}
			String secret = Files.readString(secretFile());
			assertThatThrownBy(() -> start("--jwt.algorithm=HS512").close())
				.hasRootCauseInstanceOf(InvalidConfigurationException.class);
			assertThat(output.getAll())
				.contains("Invalid configuration: jwt.secret is empty and the generated secret in " + secretFile()
						+ " is too short for the configured algorithm")
				.doesNotContain(secret.trim());
			assertThat(Files.readString(secretFile())).isEqualTo(secret);
		}

	}

	private Path secretFile() {
		return this.dir.resolve("data").resolve("jwt-secret");
	}

	private ConfigurableApplicationContext start(String... extraArgs) {
		List<String> args = new ArrayList<>(List.of("--server.port=0", "--data.dir=" + this.dir.resolve("data"),
				"--config.file=/dev/null", "--password.bcrypt_cost=4"));
		if (List.of(extraArgs).stream().noneMatch((arg) -> arg.startsWith("--jwt.secret="))) {
			args.add("--jwt.secret=");
		}
		args.addAll(List.of(extraArgs));
		return SpringApplication.run(TokenServiceApplication.class, args.toArray(String[]::new));
	}

	private static int portOf(ConfigurableApplicationContext context) {
		return context.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
	}

	private static HttpResponse<String> post(int port, String path, String body)
			throws IOException, InterruptedException {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
			.header("Content-Type", "application/json")
			.POST(BodyPublishers.ofString(body))
			.build();
		return http.send(request, BodyHandlers.ofString());
	}

	private static HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
		return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
				BodyHandlers.ofString());
	}

}
