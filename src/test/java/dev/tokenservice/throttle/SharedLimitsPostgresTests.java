package dev.tokenservice.throttle;

import java.nio.file.Path;
import java.util.List;

import dev.tokenservice.TokenServiceApplication;
import dev.tokenservice.support.Api;
import dev.tokenservice.support.PostgresTestDatabase;
import dev.tokenservice.support.Reply;
import dev.tokenservice.support.TestUsers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two instances on one PostgreSQL database share their limits: failed logins counted on
 * one are counted on the other, because the buckets live in the database.
 */
class SharedLimitsPostgresTests {

	private static final int FAILURES_ALLOWED = 4;

	@TempDir
	Path dir;

	private PostgresTestDatabase database;

	private ConfigurableApplicationContext first;

	private ConfigurableApplicationContext second;

	@BeforeEach
	void startTwoInstances() {
		this.database = PostgresTestDatabase.create("limits");
		this.first = start("a");
		this.second = start("b");
	}

	@AfterEach
	void stop() {
		for (ConfigurableApplicationContext context : new ConfigurableApplicationContext[] { this.first,
				this.second }) {
			if (context != null) {
				context.close();
			}
		}
		if (this.database != null) {
			this.database.close();
		}
	}

	@Test
	void failedLoginsWhenSpreadOverTwoInstancesThenCountedTogether() {
		List<Api> instances = List.of(api(this.first), api(this.second));
		String username = TestUsers.registered(instances.get(0), "shared-limit");

		for (int attempt = 0; attempt < FAILURES_ALLOWED; attempt++) {
			Reply failed = instances.get(attempt % 2).token(username, "Wrong-Password-99");
			assertThat(failed.status()).as("failure %d", attempt).isEqualTo(401);
		}

		for (Api instance : instances) {
			Reply throttled = instance.token(username, TestUsers.PASSWORD);
			assertThat(throttled.status()).as(throttled.toString()).isEqualTo(429);
			assertThat(throttled.header("Retry-After")).isPresent();
		}
	}

	private ConfigurableApplicationContext start(String name) {
		return SpringApplication.run(TokenServiceApplication.class, "--server.port=0",
				"--data.dir=" + this.dir.resolve(name), "--config.file=/dev/null",
				"--database.url=" + this.database.url(), "--database.username=" + this.database.username(),
				"--jwt.secret=shared-secret-of-both-instances-for-hs256", "--password.bcrypt_cost=4",
				"--limits.failed_logins_per_user_and_address.capacity=" + FAILURES_ALLOWED);
	}

	private static Api api(ConfigurableApplicationContext context) {
		return new Api(Integer.parseInt(context.getEnvironment().getProperty("local.server.port")));
	}

}
