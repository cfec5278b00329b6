package dev.tokenservice.web;

import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.swagger.v3.core.converter.ModelConverters;
import io.swagger.v3.core.jackson.ModelResolver;
import io.swagger.v3.core.util.Json;
import io.swagger.v3.core.util.Json31;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.servers.Server;
import io.swagger.v3.oas.models.tags.Tag;
import org.jspecify.annotations.Nullable;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springdoc.core.properties.SpringDocConfigProperties;
import org.springdoc.core.utils.SpringDocUtils;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.info.BuildProperties;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI document at {@code /v3/api-docs} (and so Swagger UI): the service's
 * description, its two security schemes, and the conventions every endpoint shares (JSON
 * bodies in snake_case, the one error shape), so the controllers' annotations only list
 * what differs per endpoint.
 *
 * Absent, like springdoc's own beans, when an operator turns the document off.
 *
 * @see <a href="https://spec.openapis.org/oas/v3.1.0">OpenAPI 3.1</a>
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "springdoc.api-docs.enabled", matchIfMissing = true)
class OpenApiConfiguration {

	/** Users' JWTs ({@code Authorization: Bearer ...}), from {@code POST /token}. */
	private static final String BEARER = "bearer";

	/**
	 * Introspection clients ({@code introspection.clients}) on {@code POST /introspect}.
	 */
	private static final String BASIC = "basic";

	private static final String ERROR_RESPONSE = "ErrorResponse";

	private static final String OAUTH2_TOKEN_ERROR = "OAuth2TokenError";

	/**
	 * The 400 and 429 of {@code POST /token}, whose shape depends on the request style,
	 * and the 401 of {@code POST /introspect}, whose shape depends on the credentials.
	 */
	private static final String TOKEN_ENDPOINT_ERROR = "TokenEndpointError";

	/** The headers the service's own answers carry, by the status they come with. */
	private static final String REQUEST_ID = "X-Request-Id";

	private static final String CHALLENGE = "WWW-Authenticate";

	private static final String RETRY_AFTER = "Retry-After";

	private static final Set<String> ERROR_SCHEMAS = Set.of(ERROR_RESPONSE, OAUTH2_TOKEN_ERROR, TOKEN_ENDPOINT_ERROR);

	private static final String JSON = org.springframework.http.MediaType.APPLICATION_JSON_VALUE;

	private static final String DESCRIPTION = """
			Registers users, issues signed JWTs (HS256/384/512) for a username and password, and tells \
			whether a token is still good; accounts, revocation (RFC 7009) and introspection (RFC 7662).

			Every body is JSON, errors included, and every error has a human-readable `message`
			(validation errors add `errors`, field name to problem; a 5xx adds `request_id`).
			For every endpoint: malformed JSON is 400, a wrong `Content-Type` 415, a body over the
			limit (default 64 KiB) 413, a wrong method 405, an unknown path 404, and the database
			being down 503 `{"message":"Service temporarily unavailable"}`.

			Protected endpoints take `Authorization: Bearer <token>` (the `bearer` scheme); without
			a valid token they answer 401 with `WWW-Authenticate: Bearer error="invalid_token"`,
			and 403 `{"message":"Forbidden"}` with `WWW-Authenticate: Bearer error="insufficient_scope"`
			when the token's user lacks the rights.
			""";

	static {
		// The container's error dispatches are not an endpoint of the API.
		SpringDocUtils.getConfig().addHiddenRestControllers(ErrorController.class);
	}

	@Bean
	OpenAPI tokenServiceOpenApi(ObjectProvider<BuildProperties> build) {
		BuildProperties properties = build.getIfAvailable();
		String version = (properties != null) ? properties.getVersion() : "unknown";
		// Relative: right behind any proxy, and never the Host header a client sent.
		return new OpenAPI().info(new Info().title("token-service").version(version).description(DESCRIPTION))
			.servers(List.of(new Server().url("/")))
			.tags(List.of(new Tag().name("Tokens").description("Issuing, checking, revoking and introspecting tokens"),
					new Tag().name("Accounts").description("Registration and what users do to their own account"),
					new Tag().name("Administration").description("Managing users, for admins")))
			.components(new Components()
				.addSecuritySchemes(BEARER,
						new SecurityScheme().type(SecurityScheme.Type.HTTP)
							.scheme("bearer")
							.bearerFormat("JWT")
							.description("A token from POST /token"))
				.addSecuritySchemes(BASIC,
						new SecurityScheme().type(SecurityScheme.Type.HTTP)
							.scheme("basic")
							.description("An introspection client's id and secret (introspection.clients)"))
				.addSchemas(OAUTH2_TOKEN_ERROR, oauth2TokenError())
				.addSchemas(TOKEN_ENDPOINT_ERROR, tokenEndpointError())
				.addHeaders(REQUEST_ID,
						header("The request's id, also on its log lines; a 5xx body repeats it as request_id",
								new StringSchema()))
				.addHeaders(CHALLENGE, header(
						"Bearer realm=\"token-service\" with error=\"invalid_token\" (RFC 6750 §3.1), or Basic for "
								+ "an introspection client's wrong credentials",
						new StringSchema()))
				.addHeaders(RETRY_AFTER, header("Seconds to wait before trying again", new IntegerSchema())));
	}

	private static Header header(String description, Schema<?> schema) {
		Header header = new Header();
		header.setDescription(description);
		header.setSchema(schema);
		return header;
	}

	/**
	 * Property names in snake_case, as Jackson writes them here: the schema generator has
	 * its own (Jackson 2) mapper, which does not read
	 * {@code spring.jackson.property-naming-strategy}. It replaces springdoc's own
	 * resolver, so it speaks the same OpenAPI version.
	 */
	@Bean
	ModelResolver snakeCaseModelResolver(SpringDocConfigProperties springDoc) {
		boolean openApi31 = springDoc.isOpenapi31();
		ObjectMapper mapper = (openApi31 ? Json31.mapper() : Json.mapper()).copy()
			.setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
		return new ModelResolver(mapper).openapi31(openApi31);
	}

	/**
	 * Every body is JSON, and every error response has an error shape: springdoc would
	 * otherwise give a 4xx or 5xx the handler method's success type. The answers every
	 * operation shares (503 when the database is away, 401 for a protected one) are added
	 * here once rather than annotated on each.
	 */
	@Bean
	OpenApiCustomizer jsonBodiesAndErrors(SpringDocConfigProperties springDoc) {
		return (openApi) -> {
			Components components = openApi.getComponents();
			if (!components.getSchemas().containsKey(ERROR_RESPONSE)) {
				ModelConverters.getInstance(springDoc.isOpenapi31())
					.readAll(ErrorResponse.class)
					.forEach(components::addSchemas);
			}
			openApi.getPaths()
				.values()
				.forEach((path) -> path.readOperations().forEach(OpenApiConfiguration::jsonBodiesAndErrors));
		};
	}

	private static void jsonBodiesAndErrors(Operation operation) {
		if (operation.getSecurity() != null && !operation.getSecurity().isEmpty()) {
			operation.getResponses().putIfAbsent("401", new ApiResponse().description("No valid bearer token"));
		}
		operation.getResponses().putIfAbsent("503", new ApiResponse().description("Database unavailable"));
		for (Map.Entry<String, ApiResponse> entry : operation.getResponses().entrySet()) {
			ApiResponse response = entry.getValue();
			addHeaders(entry.getKey(), response);
			Content content = response.getContent();
			if (content != null && content.containsKey("*/*")) {
				content.put(JSON, content.remove("*/*"));
			}
			if (entry.getKey().matches("[45]\\d\\d") && !hasErrorSchema(content)) {
				response
					.setContent(new Content().addMediaType(JSON, new MediaType().schema(reference(ERROR_RESPONSE))));
			}
		}
	}

	private static void addHeaders(String status, ApiResponse response) {
		List<String> names = switch (status) {
			case "401" -> List.of(REQUEST_ID, CHALLENGE);
			case "429", "503" -> List.of(REQUEST_ID, RETRY_AFTER);
			default -> List.of(REQUEST_ID);
		};
		for (String name : names) {
			if (response.getHeaders() == null || !response.getHeaders().containsKey(name)) {
				response.addHeaderObject(name, new Header().$ref("#/components/headers/" + name));
			}
		}
	}

	private static boolean hasErrorSchema(@Nullable Content content) {
		MediaType json = (content != null) ? content.get(JSON) : null;
		String ref = (json != null && json.getSchema() != null) ? json.getSchema().get$ref() : null;
		return ref != null && ERROR_SCHEMAS.contains(ref.substring(ref.lastIndexOf('/') + 1));
	}

	// Built by setters: swagger-core's fluent methods return the raw Schema type.
	private static Schema<?> oauth2TokenError() {
		ObjectSchema error = new ObjectSchema();
		error.setDescription("An OAuth 2.0 error (RFC 6749 §5.2) with this service's message");
		error.addProperty("error", new StringSchema()
			._enum(List.of("invalid_request", "unsupported_grant_type", "invalid_grant", "invalid_client")));
		error.addProperty("error_description", new StringSchema());
		error.addProperty("message", new StringSchema());
		error.setRequired(List.of("error", "error_description", "message"));
		return error;
	}

	private static Schema<?> tokenEndpointError() {
		Schema<Object> error = new Schema<>();
		// anyOf: an OAuth 2.0 error body has the message too, so it is an ErrorResponse
		// as well.
		error.setDescription("ErrorResponse, or OAuth2TokenError for the password grant's form and for an "
				+ "introspection client's credentials");
		error.setAnyOf(List.of(reference(ERROR_RESPONSE), reference(OAUTH2_TOKEN_ERROR)));
		return error;
	}

	private static Schema<?> reference(String name) {
		return new Schema<>().$ref("#/components/schemas/" + name);
	}

}
