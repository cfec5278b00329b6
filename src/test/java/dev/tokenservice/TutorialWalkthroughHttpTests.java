package dev.tokenservice;

import dev.tokenservice.support.Api;
import dev.tokenservice.support.HttpTestSupport;
import dev.tokenservice.support.Reply;
import dev.tokenservice.support.TestDatabase;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The tutorial chapter's own client walk-through, verbatim, against a service configured
 * the way API.md tells an operator to serve such clients
 * ({@code password.min_length: 6}).
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "password.min_length=6", "password.reject_common=false" })
@Tag(HttpTestSupport.CONTRACT_TAG)
class TutorialWalkthroughHttpTests {

	@TempDir
	static Path dataDir;

	@LocalServerPort
	private int port;

	private Api api;

	@DynamicPropertySource
	static void ownDatabase(DynamicPropertyRegistry registry) {
		registry.add("data.dir", () -> dataDir.toString());
		TestDatabase.register(registry, "tutorial");
	}

	@BeforeEach
	void connect() {
		this.api = new Api(this.port);
	}

	@Test
	void tutorialClientWhenRunVerbatimThenPrintsTheTutorialsOutcomes() {
		Map<String, String> registration = Map.of("username", "eligijus", "password", "123456", "email",
				"eligijus@testmail.com");

		Reply registered = this.api.postJson("/register-user", registration);
		assertThat(registered.status()).isEqualTo(201);
		assertThat(registered.text("message")).isEqualTo("User created successfully");

		Reply again = this.api.postJson("/register-user", registration);
		assertThat(again.status()).isEqualTo(409);
		assertThat(again.text("message")).isEqualTo("User already exists");

		Reply wrongPassword = this.api.postJson("/token", Map.of("username", "eligijus", "password", "654321"));
		assertThat(wrongPassword.status()).isEqualTo(401);
		assertThat(wrongPassword.text("message")).isEqualTo("Invalid credentials");

		Reply login = this.api.postJson("/token", registration);
		assertThat(login.status()).isEqualTo(200);
		String token = login.text("token");

		Reply valid = this.api.get("/token_status/" + token);
		assertThat(valid.status()).isEqualTo(200);
		assertThat(valid.text("message")).isEqualTo("Token is valid");

		Reply truncated = this.api.get("/token_status/" + token.substring(0, token.length() - 1));
		assertThat(truncated.status()).isEqualTo(401);
		assertThat(truncated.text("message")).isEqualTo("Invalid token");
	}

}
