package dev.tokenservice.web;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.tokenservice.support.HttpTestSupport;
import dev.tokenservice.support.Reply;
import dev.tokenservice.support.TestUsers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The OpenAPI document at {@code /v3/api-docs} against API.md: every public endpoint and
 * nothing else, who may call it, its bodies and status codes, and schemas that name the
 * fields the service really sends. Swagger UI, which shows the document, loads.
 */
class OpenApiDocumentHttpTests extends HttpTestSupport {

	private static final String JSON = "application/json";

	private static final String FORM = "application/x-www-form-urlencoded";

	/** API.md's endpoints, who may call them, and the status codes it names for them. */
	private static final List<Endpoint> CONTRACT = List.of(
			new Endpoint("POST", "/register-user", Access.PUBLIC, List.of(), 201, 400, 409, 413, 415, 429, 503),
			new Endpoint("POST", "/token", Access.PUBLIC, List.of(), 200, 400, 401, 403, 413, 415, 429, 503),
			// The token to check travels as the bearer credential.
			new Endpoint("GET", "/token_status", Access.BEARER, List.of(), 200, 401, 503),
			new Endpoint("GET", "/token_status/{token}", Access.PUBLIC, List.of("token"), 200, 401, 503),
			new Endpoint("GET", "/users", Access.BEARER, List.of("page", "size"), 200, 400, 401, 403, 503),
			new Endpoint("GET", "/users/{user_id}", Access.BEARER, List.of("user_id"), 200, 400, 401, 403, 404, 503),
			new Endpoint("GET", "/me", Access.BEARER, List.of(), 200, 401, 503),
			new Endpoint("PUT", "/toggle-user-permission/{user_id}/{flag}", Access.BEARER, List.of("user_id", "flag"),
					200, 400, 401, 403, 404, 409, 503),
			new Endpoint("DELETE", "/remove-user/{user_id}", Access.BEARER, List.of("user_id"), 200, 400, 401, 403, 404,
					409, 503),
			new Endpoint("POST", "/change-password", Access.BEARER, List.of(), 200, 400, 401, 413, 415, 503),
			new Endpoint("POST", "/logout-all", Access.BEARER, List.of("user_id"), 200, 400, 401, 403, 404, 503),
			// The token to revoke is its own credential; a bearer token, if sent, must be
			// valid.
			new Endpoint("POST", "/revoke", Access.PUBLIC, List.of(), 200, 400, 401, 413, 415, 503),
			new Endpoint("POST", "/introspect", Access.BEARER_OR_BASIC, List.of(), 200, 400, 401, 403, 413, 415, 503));

	/** The schemas an error body may have: each carries {@code message}. */
	private static final Set<String> ERROR_SCHEMAS = Set.of("ErrorResponse", "OAuth2TokenError", "TokenEndpointError");

	private JsonNode document;

	@BeforeEach
	void fetchDocument() {
		Reply reply = this.api.get("/v3/api-docs");
		assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
		assertThat(reply.isJson()).isTrue();
		this.document = reply.json();
	}

	@Test
	void apiDocsWhenFetchedThenListEveryPublicPathWithItsMethodsAndNothingElse() {
		Map<String, Set<String>> expected = new TreeMap<>();
		CONTRACT.forEach((endpoint) -> expected.computeIfAbsent(endpoint.path(), (path) -> new TreeSet<>())
			.add(endpoint.method()));

		assertThat(documentedPathsAndMethods()).isEqualTo(expected);
		assertThat(this.document.get("paths").propertyNames())
			.noneMatch((path) -> path.startsWith("/error") || path.startsWith("/actuator") || path.startsWith("/v3"));
	}

	@Test
	void apiDocsWhenFetchedThenProtectedOperationsNeedTheBearerSchemeAndPublicOnesNothing() {
		assertThat(this.document.path("security").isMissingNode()).as("no document-wide security requirement").isTrue();
		for (Endpoint endpoint : CONTRACT) {
			assertThat(securityOf(operation(endpoint))).as(endpoint.toString()).isEqualTo(endpoint.access().schemes());
		}
	}

	/**
	 * Springdoc would otherwise name the server after the Host header the client sent.
	 */
	@Test
	void apiDocsWhenHostHeaderForgedThenServerIsRelativeAndNeverTheForgedHost() {
		String response = this.api.raw("GET /v3/api-docs HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n");

		assertThat(response).startsWith("HTTP/1.1 200").doesNotContain("evil.example");
		assertThat(this.document.at("/servers/0/url").asString()).isEqualTo("/");
	}

	@Test
	void apiDocsWhenFetchedThenSecuritySchemesAreHttpBearerJwtAndHttpBasic() {
		JsonNode schemes = this.document.at("/components/securitySchemes");

		assertThat(schemes.at("/bearer/type").asString()).isEqualTo("http");
		assertThat(schemes.at("/bearer/scheme").asString()).isEqualTo("bearer");
		assertThat(schemes.at("/bearer/bearerFormat").asString()).isEqualTo("JWT");
		assertThat(schemes.at("/basic/type").asString()).isEqualTo("http");
		assertThat(schemes.at("/basic/scheme").asString()).isEqualTo("basic");
	}

	@Test
	void apiDocsWhenFetchedThenInfoNamesTheServiceAndItsBuildVersion() {
		assertThat(this.document.at("/info/title").asString()).isEqualTo("token-service");
		assertThat(this.document.at("/info/version").asString()).matches("\\d+\\.\\d+\\.\\d+.*");
		assertThat(this.document.at("/info/description").asString()).contains("JSON").contains("Bearer");
	}

	@Test
	void apiDocsWhenFetchedThenEveryOperationListsTheContractsStatusCodesWithJsonSchemas() {
		for (Endpoint endpoint : CONTRACT) {
			JsonNode responses = operation(endpoint).get("responses");
			assertThat(responses.propertyNames()).as(endpoint.toString()).containsAll(endpoint.statuses());
			for (String status : responses.propertyNames()) {
				String where = endpoint + " " + status;
				assertThat(responses.at("/" + status + "/description").asString()).as(where).isNotBlank();
				JsonNode schema = responses.get(status).at("/content/application~1json/schema");
				assertThat(schema.isObject()).as(where + " has an application/json schema").isTrue();
				if (status.startsWith("4") || status.startsWith("5")) {
					assertThat(schemaName(schema)).as(where).isIn(ERROR_SCHEMAS);
				}
			}
		}
	}

	@Test
	void apiDocsWhenFetchedThenErrorSchemasCarryTheMessage() {
		JsonNode schemas = this.document.at("/components/schemas");

		assertThat(schemas.at("/ErrorResponse/properties").propertyNames()).contains("message", "errors", "user_id",
				"request_id");
		assertThat(schemas.at("/OAuth2TokenError/properties").propertyNames()).contains("error", "error_description",
				"message");
		// anyOf, not oneOf: an OAuth 2.0 error body is a valid ErrorResponse too.
		assertThat(schemas.at("/TokenEndpointError/anyOf").valueStream().map(OpenApiDocumentHttpTests::schemaName))
			.containsExactlyInAnyOrder("ErrorResponse", "OAuth2TokenError");
		assertThat(schemas.at("/OAuth2TokenError/properties/error/enum").valueStream().map(JsonNode::asString))
			.containsExactlyInAnyOrder("invalid_request", "unsupported_grant_type", "invalid_grant", "invalid_client");
		assertThat(schemaName(operation("POST", "/introspect").at("/responses/401/content/application~1json/schema")))
			.isEqualTo("TokenEndpointError");
	}

	@Test
	void apiDocsWhenFetchedThenResponsesNameTheHeadersTheServiceSends() {
		assertThat(this.document.at("/components/headers").propertyNames()).containsExactlyInAnyOrder("X-Request-Id",
				"WWW-Authenticate", "Retry-After");
		for (Endpoint endpoint : CONTRACT) {
			JsonNode responses = operation(endpoint).get("responses");
			for (String status : responses.propertyNames()) {
				Set<String> headers = new TreeSet<>(responses.get(status).path("headers").propertyNames());
				String where = endpoint + " " + status;
				assertThat(headers).as(where).contains("X-Request-Id");
				if (status.equals("401")) {
					assertThat(headers).as(where).contains("WWW-Authenticate");
				}
				if (status.equals("429") || status.equals("503")) {
					assertThat(headers).as(where).contains("Retry-After");
				}
			}
		}
	}

	/**
	 * JSON Schema patterns match anywhere unless anchored; Bean Validation's whole
	 * string.
	 */
	@Test
	void apiDocsWhenFetchedThenPatternsAreAnchoredAsTheServiceAppliesThem() {
		assertThat(this.document.at("/components/schemas/RegisterRequest/properties/username/pattern").asString())
			.startsWith("^")
			.endsWith("$");
		assertThat(this.document.at("/components/schemas/RegisterRequest/properties/email/pattern").asString())
			.startsWith("^")
			.endsWith("$");
		JsonNode flag = operation("PUT", "/toggle-user-permission/{user_id}/{flag}").get("parameters")
			.valueStream()
			.filter((parameter) -> parameter.get("name").asString().equals("flag"))
			.findFirst()
			.orElseThrow();
		assertThat(flag.at("/schema/pattern").asString()).isEqualTo("^[01]$");
	}

	@Test
	void apiDocsWhenFetchedThenTokenTakesJsonOrThePasswordGrantForm() {
		JsonNode content = operation("POST", "/token").at("/requestBody/content");

		assertThat(content.propertyNames()).containsExactlyInAnyOrder(JSON, FORM);
		assertThat(schemaName(content.at("/application~1json/schema"))).isEqualTo("TokenRequest");
		JsonNode form = content.get(FORM).get("schema");
		assertThat(form.get("properties").propertyNames()).containsExactlyInAnyOrder("grant_type", "username",
				"password", "scope", "client_id");
		assertThat(form.get("required").valueStream().map(JsonNode::asString)).containsExactlyInAnyOrder("grant_type",
				"username", "password");
		assertThat(form.at("/properties/grant_type/enum/0").asString()).isEqualTo("password");
	}

	@Test
	void apiDocsWhenFetchedThenRevokeAndIntrospectTakeTheTokenForm() {
		for (String path : List.of("/revoke", "/introspect")) {
			JsonNode content = operation("POST", path).at("/requestBody/content");
			assertThat(content.propertyNames()).as(path).containsExactly(FORM);
			JsonNode form = content.get(FORM).get("schema");
			assertThat(form.get("properties").propertyNames()).as(path)
				.containsExactlyInAnyOrder("token", "token_type_hint");
			assertThat(form.get("required").valueStream().map(JsonNode::asString)).as(path).containsExactly("token");
		}
	}

	@Test
	void apiDocsWhenFetchedThenJsonBodiesHaveTheirSchemas() {
		assertThat(schemaName(operation("POST", "/register-user").at("/requestBody/content/application~1json/schema")))
			.isEqualTo("RegisterRequest");
		assertThat(
				schemaName(operation("POST", "/change-password").at("/requestBody/content/application~1json/schema")))
			.isEqualTo("ChangePasswordRequest");
		assertThat(schemaProperties("RegisterRequest")).containsExactlyInAnyOrder("username", "password", "email");
		assertThat(schemaProperties("ChangePasswordRequest")).containsExactlyInAnyOrder("current_password",
				"new_password");
	}

	@Test
	void apiDocsWhenFetchedThenParametersAreTheContractsAndNoServerInternals() {
		for (Endpoint endpoint : CONTRACT) {
			List<String> names = new ArrayList<>();
			operation(endpoint).path("parameters").forEach((parameter) -> names.add(parameter.get("name").asString()));
			assertThat(names).as(endpoint.toString()).containsExactlyInAnyOrderElementsOf(endpoint.parameters());
		}
		JsonNode token = operation("GET", "/token_status/{token}").at("/parameters/0");
		assertThat(token.get("in").asString()).isEqualTo("path");
		assertThat(token.get("required").asBoolean()).isTrue();
	}

	/** The document describes the bodies the service really sends, in snake_case. */
	@Test
	void apiDocsWhenComparedWithRealResponsesThenSchemasNameTheFieldsSent() {
		String username = TestUsers.uniqueName("openapi");
		Reply registered = this.api.register(username, TestUsers.PASSWORD, TestUsers.emailOf(username));
		Reply issued = this.api.token(username, TestUsers.PASSWORD);
		Reply status = this.api.tokenStatus(issued.text("token"));
		Reply invalid = this.api.tokenStatus("not-a-token");

		assertThat(schemaProperties(responseSchema("POST", "/register-user", "201")))
			.containsAll(registered.json().propertyNames());
		assertThat(schemaProperties(responseSchema("POST", "/token", "200")))
			.containsExactlyInAnyOrderElementsOf(issued.json().propertyNames());
		assertThat(schemaProperties(responseSchema("GET", "/token_status/{token}", "200")))
			.containsExactlyInAnyOrderElementsOf(status.json().propertyNames());
		assertThat(schemaProperties(responseSchema("GET", "/token_status/{token}", "401")))
			.containsAll(invalid.json().propertyNames());
	}

	@Test
	void swaggerUiWhenOpenedThenHtmlPageAndEveryAssetItLoads200() {
		Reply page = followRedirects("/swagger-ui.html");

		assertThat(page.status()).isEqualTo(200);
		assertThat(page.header("Content-Type")).hasValueSatisfying((type) -> assertThat(type).startsWith("text/html"));
		assertThat(page.body()).contains("<div id=\"swagger-ui\">");
		List<String> assets = assetsOf(page.body());
		assertThat(assets).contains("./swagger-ui-bundle.js", "./swagger-initializer.js");
		for (String asset : assets) {
			Reply reply = this.api.get(URI.create("/swagger-ui/index.html").resolve(asset).getPath());
			assertThat(reply.status()).as(asset).isEqualTo(200);
		}
		Reply config = this.api.get("/v3/api-docs/swagger-config");
		assertThat(config.status()).isEqualTo(200);
		assertThat(config.text("url")).isEqualTo("/v3/api-docs");
	}

	private Map<String, Set<String>> documentedPathsAndMethods() {
		Map<String, Set<String>> documented = new TreeMap<>();
		for (Map.Entry<String, JsonNode> path : this.document.get("paths").properties()) {
			Set<String> methods = new TreeSet<>();
			path.getValue()
				.propertyNames()
				.stream()
				.filter((name) -> Set.of("get", "put", "post", "delete", "patch", "head", "options").contains(name))
				.forEach((name) -> methods.add(name.toUpperCase(java.util.Locale.ROOT)));
			documented.put(path.getKey(), methods);
		}
		return documented;
	}

	private JsonNode operation(Endpoint endpoint) {
		return operation(endpoint.method(), endpoint.path());
	}

	private JsonNode operation(String method, String path) {
		JsonNode operation = this.document.get("paths").path(path).path(method.toLowerCase(java.util.Locale.ROOT));
		assertThat(operation.isObject()).as(method + " " + path + " is documented").isTrue();
		return operation;
	}

	private static List<Map<String, List<String>>> securityOf(JsonNode operation) {
		List<Map<String, List<String>>> requirements = new ArrayList<>();
		for (JsonNode requirement : operation.path("security")) {
			Map<String, List<String>> schemes = new LinkedHashMap<>();
			requirement.properties()
				.forEach((scheme) -> schemes.put(scheme.getKey(),
						scheme.getValue().valueStream().map(JsonNode::asString).toList()));
			requirements.add(schemes);
		}
		return requirements;
	}

	private JsonNode responseSchema(String method, String path, String status) {
		return operation(method, path).at("/responses/" + status + "/content/application~1json/schema");
	}

	private Set<String> schemaProperties(JsonNode schemaOrReference) {
		return schemaProperties(schemaName(schemaOrReference));
	}

	private Set<String> schemaProperties(String name) {
		JsonNode properties = this.document.at("/components/schemas/" + name + "/properties");
		assertThat(properties.isObject()).as("schema " + name + " has properties").isTrue();
		return new TreeSet<>(properties.propertyNames());
	}

	private static String schemaName(JsonNode schema) {
		String reference = schema.path("$ref").asString("");
		return reference.substring(reference.lastIndexOf('/') + 1);
	}

	private Reply followRedirects(String path) {
		Reply reply = this.api.get(path);
		for (int hops = 0; hops < 5 && reply.status() / 100 == 3; hops++) {
			String location = reply.header("Location").orElseThrow();
			reply = this.api.get(URI.create(location).getPath());
		}
		return reply;
	}

	/** The scripts and style sheets the page refers to by a relative address. */
	private static List<String> assetsOf(String html) {
		List<String> assets = new ArrayList<>();
		Matcher matcher = Pattern.compile("(?:src|href)=\"(\\./[^\"]+|[a-z][^\":]*\\.(?:js|css|png))\"").matcher(html);
		while (matcher.find()) {
			assets.add(matcher.group(1));
		}
		return assets;
	}

	private enum Access {

		PUBLIC, BEARER, BEARER_OR_BASIC;

		/** The operation's security requirements: any one of them lets a caller in. */
		List<Map<String, List<String>>> schemes() {
			return switch (this) {
				case PUBLIC -> List.of();
				case BEARER -> List.of(Map.of("bearer", List.of()));
				case BEARER_OR_BASIC -> List.of(Map.of("bearer", List.of()), Map.of("basic", List.of()));
			};
		}

	}

	private record Endpoint(String method, String path, Access access, List<String> parameters, List<String> statuses) {

		Endpoint(String method, String path, Access access, List<String> parameters, int... statuses) {
			this(method, path, access, parameters,
					java.util.Arrays.stream(statuses).mapToObj(Integer::toString).toList());
		}

		@Override
		public String toString() {
			return this.method + " " + this.path;
		}

	}

}
