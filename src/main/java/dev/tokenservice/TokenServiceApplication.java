package dev.tokenservice;

import java.time.Clock;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * A token service: users register, log in with a password, receive a signed JWT, and any
 * client can ask whether a token is still good.
 */
// Users live in our own table; Boot's generated in-memory user (and its logged password)
// is not wanted.
@SpringBootApplication(exclude = UserDetailsServiceAutoConfiguration.class)
// Revocation records of expired tokens are purged on a schedule.
@EnableScheduling
public class TokenServiceApplication {

	public static void main(String[] args) {
		SpringApplication.run(TokenServiceApplication.class, args);
	}

	@Bean
	Clock clock() {
		return Clock.systemUTC();
	}

}
