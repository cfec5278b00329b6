package dev.tokenservice.security;

import dev.tokenservice.web.ErrorResponse;
import dev.tokenservice.web.ErrorResponseWriter;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.firewall.RequestRejectedHandler;

/**
 * One stateless filter chain for a JSON API: no sessions, cookies, CSRF tokens, login
 * page or Basic prompt. The public endpoints need no authentication; unknown paths fall
 * through to a JSON 404 rather than a 401.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

	@Bean
	SecurityFilterChain apiFilterChain(HttpSecurity http) throws Exception {
		return http
			// No cookies or sessions are ever used, so there is no ambient credential to
			// forge (no CSRF).
			.csrf(AbstractHttpConfigurer::disable)
			.sessionManagement((sessions) -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.requestCache(AbstractHttpConfigurer::disable)
			.formLogin(AbstractHttpConfigurer::disable)
			.httpBasic(AbstractHttpConfigurer::disable)
			.logout(AbstractHttpConfigurer::disable)
			.anonymous(AbstractHttpConfigurer::disable)
			.authorizeHttpRequests((requests) -> requests.anyRequest().permitAll())
			.build();
	}

	/**
	 * Requests the firewall refuses (encoded slashes, path traversal, ...) get a JSON
	 * 400.
	 */
	@Bean
	RequestRejectedHandler jsonRequestRejectedHandler(ErrorResponseWriter errors) {
		return (request, response, ex) -> errors.write(response, HttpStatus.BAD_REQUEST,
				ErrorResponse.of(HttpStatus.BAD_REQUEST.getReasonPhrase()));
	}

}
