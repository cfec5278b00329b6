package dev.tokenservice;

import java.time.Clock;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration;
import org.springframework.boot.tomcat.autoconfigure.metrics.TomcatMetricsAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * A token service: users register, log in with a password, receive a signed JWT, and any
 * client can ask whether a token is still good.
 */
// Users live in our own table; Boot's generated in-memory user (and its logged password)
// is not wanted. Tomcat's metrics would only count HTTP sessions, which this stateless
// service never creates, and starting the JMX server they need costs 150 ms of start-up.
@SpringBootApplication(exclude = { UserDetailsServiceAutoConfiguration.class, TomcatMetricsAutoConfiguration.class })
// Expired revocation records and idle rate-limit buckets are purged on a schedule.
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
