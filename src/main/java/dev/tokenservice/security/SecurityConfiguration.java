package dev.tokenservice.security;

import java.util.stream.Stream;

import dev.tokenservice.account.TokenHolder;
import dev.tokenservice.config.IntrospectionProperties;
import dev.tokenservice.token.BearerToken;
import dev.tokenservice.token.TokenVerifier;
import dev.tokenservice.web.BearerChallenge;
import dev.tokenservice.web.ErrorResponse;
import dev.tokenservice.web.ErrorResponseWriter;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.actuate.autoconfigure.web.server.ManagementPortType;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authorization.AuthenticatedAuthorizationManager;
import org.springframework.security.authorization.AuthorityAuthorizationManager;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.authorization.AuthorizationManagers;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.annotation.web.configurers.AuthorizeHttpRequestsConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.security.web.firewall.HttpFirewall;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.security.web.firewall.StrictHttpFirewall;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.servlet.HandlerExceptionResolver;

/**
 * One stateless filter chain for a JSON API: no sessions, cookies, CSRF tokens, login
 * page or Basic prompt. Bearer tokens authenticate users, HTTP Basic the introspection
 * clients; the rules below say who may call what. Each rule names its method, so a wrong
 * method still gets 405 and an unknown path a JSON 404 rather than a 401.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

	/** {@code GET /token_status} with a Bearer header. */
	private static final String TOKEN_STATUS = "/token_status";

	/** The tutorial's {@code GET /token_status/{token}}, up to the token. */
	private static final String TOKEN_STATUS_OF_PATH = TOKEN_STATUS + "/";

	private static final String ADMIN = "ADMIN";

	/**
	 * No Micrometer observation around each security filter, authentication and
	 * authorization: {@code http.server.requests} already times every request, and
	 * profiling showed these wrappers costing more CPU than the token check itself.
	 */
	@Bean
	static SecurityObservationSettings securityObservationSettings() {
		return SecurityObservationSettings.noObservations();
	}

	@Bean
	SecurityFilterChain apiFilterChain(HttpSecurity http, TokenVerifier verifier, IntrospectionProperties introspection,
			ErrorResponseWriter errors, Environment environment,
			@Qualifier("handlerExceptionResolver") HandlerExceptionResolver exceptionResolver) throws Exception {
		JsonAuthenticationEntryPoint entryPoint = new JsonAuthenticationEntryPoint(errors);
		SecurityContextRepository contexts = new RequestAttributeSecurityContextRepository();
		return http
			// No cookies or sessions are ever used, so there is no ambient credential to
			// forge (no CSRF).
			.csrf(AbstractHttpConfigurer::disable)
			.sessionManagement((sessions) -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.securityContext((context) -> context.securityContextRepository(contexts))
			.requestCache(AbstractHttpConfigurer::disable)
			.formLogin(AbstractHttpConfigurer::disable)
			.httpBasic(AbstractHttpConfigurer::disable)
			.logout(AbstractHttpConfigurer::disable)
			.anonymous(AbstractHttpConfigurer::disable)
			.addFilterBefore(new BearerTokenAuthenticationFilter(verifier, contexts, exceptionResolver),
					AnonymousAuthenticationFilter.class)
			.addFilterBefore(new IntrospectionClientAuthenticationFilter(introspection),
					AnonymousAuthenticationFilter.class)
			.exceptionHandling((exceptions) -> exceptions.authenticationEntryPoint(entryPoint)
				.accessDeniedHandler(forbidden(errors)))
			.authorizeHttpRequests((requests) -> authorizationRules(requests, environment))
			.build();
	}

	/**
	 * A token whose user lacks the rights gets the Bearer challenge RFC 6750 §3.1 names;
	 * an introspection client's Basic credentials get none.
	 */
	private static AccessDeniedHandler forbidden(ErrorResponseWriter errors) {
		return (request, response, ex) -> {
			Authentication caller = SecurityContextHolder.getContext().getAuthentication();
			if (caller != null && caller.getPrincipal() instanceof TokenHolder) {
				response.setHeader(HttpHeaders.WWW_AUTHENTICATE, BearerChallenge.INSUFFICIENT_RIGHTS);
			}
			errors.write(response, HttpStatus.FORBIDDEN, ErrorResponse.of("Forbidden"));
		};
	}

	private static void authorizationRules(
			AuthorizeHttpRequestsConfigurer<HttpSecurity>.AuthorizationManagerRequestMatcherRegistry requests,
			Environment environment) {
		requests
			// The hot path first: each rule before a match costs a pattern match.
			.requestMatchers(HttpMethod.GET, "/token_status", "/token_status/**")
			.permitAll()
			// Load balancers probe with GET or HEAD.
			.requestMatchers(reading("/actuator/health", "/actuator/health/**"))
			.permitAll()
			// Everything else the actuator shows (build, metrics) is for operators.
			.requestMatchers("/actuator/**")
			.access(AuthorizationManagers.anyOf(onSeparateManagementPort(environment),
					AuthorityAuthorizationManager.hasRole(ADMIN)))
			.requestMatchers(HttpMethod.PUT, "/toggle-user-permission/**")
			.hasRole(ADMIN)
			.requestMatchers(HttpMethod.DELETE, "/remove-user/**")
			.hasRole(ADMIN)
			.requestMatchers(reading("/users"))
			.hasRole(ADMIN)
			.requestMatchers(HttpMethod.POST, "/introspect")
			.hasAnyAuthority(Authorities.ADMIN.getAuthority(), Authorities.INTROSPECTION_CLIENT.getAuthority())
			.requestMatchers(reading("/users/*", "/me"))
			.authenticated()
			.requestMatchers(HttpMethod.POST, "/change-password", "/logout-all")
			.authenticated()
			.requestMatchers(HttpMethod.POST, "/revoke")
			.access(AuthorizationManagers.anyOf(noBearerTokenPresented(),
					AuthenticatedAuthorizationManager.authenticated()))
			.anyRequest()
			.permitAll();
	}

	/** GET, and HEAD, which runs the GET handler too: one rule for both. */
	private static RequestMatcher reading(String... patterns) {
		PathPatternRequestMatcher.Builder paths = PathPatternRequestMatcher.withDefaults();
		return new OrRequestMatcher(Stream.of(HttpMethod.GET, HttpMethod.HEAD)
			.flatMap((method) -> Stream.of(patterns).map((pattern) -> (RequestMatcher) paths.matcher(method, pattern)))
			.toList());
	}

	/**
	 * RFC 7009 as OAuth client libraries call it: they send the token to revoke and no
	 * bearer token, and holding a token is the right to end it. A bearer token that is
	 * presented must still be valid (RFC 6750 §3.1).
	 */
	private static AuthorizationManager<RequestAuthorizationContext> noBearerTokenPresented() {
		return (authentication, context) -> new AuthorizationDecision(
				BearerToken.from(context.getRequest().getHeader(HttpHeaders.AUTHORIZATION)).isEmpty());
	}

	/**
	 * With the actuator on a port of its own ({@code management.server.port}), grants its
	 * requests: that port is reachable only where the operator put it (an internal
	 * address), so monitoring scrapes it without a token, and on the service's port
	 * nothing answers {@code /actuator/**} but a 404. Grants nothing when the actuator
	 * shares the service's port.
	 */
	private static AuthorizationManager<RequestAuthorizationContext> onSeparateManagementPort(Environment environment) {
		AuthorizationDecision decision = new AuthorizationDecision(
				ManagementPortType.get(environment) == ManagementPortType.DIFFERENT);
		return (authentication, context) -> decision;
	}

	/**
	 * Spring Security's firewall with one check left to routing: a method it does not
	 * list ({@code PROPFIND}, a lower-case {@code get}) gets Spring MVC's 405 with
	 * {@code Allow}, as API.md promises, instead of the firewall's 400. Safe here because
	 * every rule above names its methods and every endpoint answers only its own (Tomcat
	 * refuses {@code TRACE}).
	 */
	@Bean
	HttpFirewall firewall() {
		StrictHttpFirewall firewall = new StrictHttpFirewall();
		firewall.setUnsafeAllowAnyHttpMethod(true);
		return firewall;
	}

	/**
	 * Requests the firewall refuses (encoded slashes, path traversal, a header with
	 * control characters, ...) get a JSON 400, except a token status: there the path or
	 * the Authorization header holds nothing but the token, so the token is malformed (a
	 * trailing newline, {@code %0A}, is a common slip), and API.md makes every malformed
	 * token the same 401 as the controller's. The firewall checks a header only when it
	 * is read, which may be after these filters, so Spring MVC's exception handling
	 * answers with this handler too.
	 */
	@Bean
	RequestRejectedHandler jsonRequestRejectedHandler(ErrorResponseWriter errors) {
		JsonAuthenticationEntryPoint entryPoint = new JsonAuthenticationEntryPoint(errors);
		return (request, response, ex) -> {
			String path = request.getRequestURI();
			if (path.equals(TOKEN_STATUS) || path.startsWith(TOKEN_STATUS_OF_PATH)) {
				JsonAuthenticationEntryPoint.rememberFailure(request,
						JsonAuthenticationEntryPoint.Failure.INVALID_TOKEN);
				entryPoint.commence(request, response, new BadCredentialsException("Malformed token"));
				return;
			}
			errors.write(response, HttpStatus.BAD_REQUEST, ErrorResponse.of(HttpStatus.BAD_REQUEST.getReasonPhrase()));
		};
	}

}
