package dev.tokenservice.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.stream.Stream;

import dev.tokenservice.TokenServiceApplication;
import dev.tokenservice.support.Api;
import dev.tokenservice.support.HttpTestSupport;
import dev.tokenservice.support.Reply;
import dev.tokenservice.support.TestUsers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every response says about itself and what the HTTP server puts up with: no content
 * sniffing, nothing that carries or judges a token cached, no server software named (not
 * even by Tomcat's own error page), bodies and headers limited, and a client that stops
 * sending half-way disconnected instead of holding a thread.
 */
class SecurityHeadersHttpTests extends HttpTestSupport {

	private static final String INTROSPECTION_CLIENT = Api.basic(INTROSPECTION_CLIENT_ID, INTROSPECTION_CLIENT_SECRET);

	private static final long MAX_BODY_BYTES = 64 * 1024;

	/** A user with a valid token, shared by every call below: none of them changes it. */
	private static Holder holder;

	@BeforeEach
	void registerHolder() {
		if (holder == null) {
			String username = TestUsers.registered(this.api, "headers");
			holder = new Holder(username, this.api.tokenFor(username, TestUsers.PASSWORD));
		}
	}

	static Stream<Arguments> registrationResponses() {
		return Stream.of(
				call("POST /register-user 201", 201,
						(api, user) -> api.register(TestUsers.uniqueName("headers"), TestUsers.PASSWORD,
								"headers@example.com")),
				call("POST /register-user 400", 400,
						(api, user) -> api.register(TestUsers.uniqueName("headers"), "short", "headers@example.com")),
				call("POST /register-user 409", 409,
						(api, user) -> api.register(user.username(), TestUsers.PASSWORD, "headers@example.com")),
				call("POST /register-user 415", 415, (api, user) -> api.post("/register-user", "text/plain", "x")),
				call("POST /register-user 413", 413,
						(api, user) -> api.postJson("/register-user", "{\"x\":\"" + "a".repeat(70_000) + "\"}")));
	}

	/** Every response that carries a token or says whether a token is good. */
	static Stream<Arguments> tokenResponses() {
		return Stream.of(
				call("POST /token 200 (JSON)", 200, (api, user) -> api.token(user.username(), TestUsers.PASSWORD)),
				call("POST /token 200 (password grant)", 200,
						(api, user) -> api.postForm("/token",
								Api.form(Map.of("grant_type", "password", "username", user.username(), "password",
										TestUsers.PASSWORD)))),
				call("POST /token 401 (JSON)", 401, (api, user) -> api.token(user.username(), "Wrong-Password-0000")),
				call("POST /token 400 (password grant, invalid_grant)", 400,
						(api, user) -> api.postForm("/token",
								Api.form(Map.of("grant_type", "password", "username", user.username(), "password",
										"Wrong-Password-0000")))),
				call("GET /token_status/{token} 200", 200, (api, user) -> api.tokenStatus(user.token())),
				call("GET /token_status/{token} 401", 401, (api, user) -> api.tokenStatus("not-a-token")),
				call("GET /token_status Bearer 200", 200,
						(api, user) -> api.get("/token_status", "Authorization", Api.bearer(user.token()))),
				call("GET /token_status Bearer 401", 401,
						(api, user) -> api.get("/token_status", "Authorization", Api.bearer("not-a-token"))),
				call("POST /introspect active", 200,
						(api, user) -> api.postForm("/introspect", Api.form(Map.of("token", user.token())),
								INTROSPECTION_CLIENT)),
				call("POST /introspect inactive", 200, (api, user) -> api.postForm("/introspect",
						Api.form(Map.of("token", "not-a-token")), INTROSPECTION_CLIENT)));
	}

	static Stream<Arguments> otherResponses() {
		return Stream.of(call("GET /me 200", 200, (api, user) -> api.withToken("GET", "/me", user.token())),
				call("GET /me 401", 401, (api, user) -> api.get("/me")),
				call("GET /users 403", 403, (api, user) -> api.withToken("GET", "/users", user.token())),
				call("GET unknown path 404", 404, (api, user) -> api.get("/no-such-endpoint")),
				call("GET /register-user 405", 405, (api, user) -> api.get("/register-user")),
				call("GET /me;b=c 400 (request firewall)", 400, (api, user) -> api.get("/me;b=c")),
				call("GET /token_status/a;b=c 401 (request firewall)", 401,
						(api, user) -> api.get("/token_status/a;b=c")),
				call("POST /token_status 405", 405,
						(api, user) -> api.post("/token_status/x", "application/json", "{}")),
				call("POST /introspect 401 (no client)", 401,
						(api, user) -> api.postForm("/introspect", Api.form(Map.of("token", user.token())))));
	}

	static Stream<Arguments> allResponses() {
		return Stream.of(registrationResponses(), tokenResponses(), otherResponses()).flatMap((stream) -> stream);
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("allResponses")
	void responseWhenAnyEndpointThenJsonNosniffAndNoServerHeader(Call call) {
		Reply reply = call.send(this.api, holder);

		assertThat(reply.status()).as(reply.toString()).isEqualTo(call.status());
		assertThat(reply.isJson()).as("JSON body").isTrue();
		assertThat(reply.headers().allValues("X-Content-Type-Options")).as("nosniff among %s", reply.headers().map())
			.containsExactly("nosniff");
		assertThat(reply.header("Server")).isEmpty();
		assertThat(reply.headers().map().keySet()).noneMatch((name) -> name.equalsIgnoreCase("x-powered-by"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("tokenResponses")
	void responseWhenItCarriesOrJudgesATokenThenNoStore(Call call) {
		Reply reply = call.send(this.api, holder);

		assertThat(reply.status()).as(reply.toString()).isEqualTo(call.status());
		assertThat(reply.headers().allValues("Cache-Control")).as("Cache-Control")
			.anySatisfy((value) -> assertThat(value).contains("no-store"));
		assertThat(reply.headers().allValues("Cache-Control"))
			.noneSatisfy((value) -> assertThat(value).containsIgnoringCase("public"));
	}

	@Test
	void tokenWhenIssuedThenNoStoreAndPragmaNoCache() {
		Reply reply = this.api.token(holder.username(), TestUsers.PASSWORD);

		assertThat(reply.status()).isEqualTo(200);
		assertThat(reply.text("token")).isNotBlank();
		assertThat(reply.header("Cache-Control")).hasValueSatisfying((value) -> assertThat(value).contains("no-store"));
		assertThat(reply.header("Pragma")).contains("no-cache");
	}

	@Nested
	class TomcatsOwnResponses {

		@Test
		void requestLineMalformedThen400JsonWithoutServerHeader() {
			String response = api.raw("GET /%zz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");

			assertThat(response).startsWith("HTTP/1.1 400 ");
			String head = headOf(response);
			assertThat(head.toLowerCase(Locale.ROOT)).doesNotContain("\r\nserver:")
				.contains("content-type: application/json");
			assertThat(bodyOf(response)).contains("{\"message\":\"").doesNotContainIgnoringCase("tomcat");
		}

		@Test
		void requestLineMalformedThen400WithNosniffToo() {
			// "Security headers on every response" (issue 5), including the ones Tomcat
			// writes itself.
			String response = api.raw("GET /%zz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");

			assertThat(response).startsWith("HTTP/1.1 400 ");
			assertThat(headOf(response).toLowerCase(Locale.ROOT)).contains("\r\nx-content-type-options: nosniff\r\n");
		}

		@Test
		void requestLineGarbageThen400WithoutServerHeader() {
			String response = api.raw("JUNK\r\n\r\n");

			assertThat(response).startsWith("HTTP/1.1 400 ");
			assertThat(headOf(response).toLowerCase(Locale.ROOT)).doesNotContain("\r\nserver:");
			assertThat(response).doesNotContainIgnoringCase("tomcat");
		}

	}

	@Nested
	class SizeLimits {

		@Test
		void registerWhenBodyOneByteOver64KiBThen413Json() {
			String body = registrationOfSize(MAX_BODY_BYTES + 1);

			Reply reply = api.postJson("/register-user", body);

			assertThat(reply.status()).as(reply.toString()).isEqualTo(413);
			assertThat(reply.isJson()).isTrue();
			assertThat(reply.body()).isEqualTo("{\"message\":\"Request body too large\"}");
			// Its headers are checked with every other response above.
		}

		@Test
		void registerWhenBodyExactly64KiBThenAccepted() {
			String body = registrationOfSize(MAX_BODY_BYTES);

			Reply reply = api.postJson("/register-user", body);

			assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
		}

		@Test
		void tokenWhenJsonBodyOver64KiBThen413Json() {
			Reply reply = api.postJson("/token",
					"{\"username\":\"a\",\"password\":\"b\",\"x\":\"" + "a".repeat(70_000) + "\"}");

			assertThat(reply.status()).as(reply.toString()).isEqualTo(413);
			assertThat(reply.body()).isEqualTo("{\"message\":\"Request body too large\"}");
		}

		@Test
		void requestWhenHeaderOver16KiBThen431Or400AndNever5xx() {
			String response = api.raw("GET /token_status HTTP/1.1\r\nHost: localhost\r\nX-Filler: "
					+ "a".repeat(17 * 1024) + "\r\nConnection: close\r\n\r\n");

			assertThat(response).as(response).matches("(?s)HTTP/1.1 (431|400) .*");
			assertThat(headOf(response).toLowerCase(Locale.ROOT)).doesNotContain("\r\nserver:");
			assertThat(response).doesNotContain("<html").doesNotContainIgnoringCase("tomcat");
		}

		@Test
		void requestWhenAuthorizationHeaderOver16KiBThen431Or400AndNever5xx() {
			String response = api.raw("GET /me HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
					+ "a".repeat(17 * 1024) + "\r\nConnection: close\r\n\r\n");

			assertThat(response).as(response).matches("(?s)HTTP/1.1 (431|400) .*");
		}

		@Test
		void requestWhenHeadersUnder16KiBThenHandledByTheApplication() {
			Reply reply = api.get("/token_status", "Authorization", Api.bearer("a".repeat(12 * 1024)));

			assertThat(reply.status()).as(reply.toString()).isEqualTo(401);
			assertThat(reply.body()).isEqualTo("{\"message\":\"Invalid token\"}");
		}

		/**
		 * Unknown fields are ignored, so a filler field makes a valid body of any size.
		 */
		private static String registrationOfSize(long bytes) {
			String username = TestUsers.uniqueName("size");
			String start = "{\"username\":\"" + username + "\",\"password\":\"" + TestUsers.PASSWORD
					+ "\",\"email\":\"size@example.com\",\"filler\":\"";
			String end = "\"}";
			String body = start + "f".repeat((int) bytes - start.length() - end.length()) + end;
			assertThat(body.getBytes(StandardCharsets.UTF_8)).hasSize((int) bytes);
			return body;
		}

	}

	@Nested
	class SlowClients {

		@TempDir
		Path dir;

		@Test
		void requestWhenClientStopsMidHeadersThenDisconnectedAfterConnectionTimeout() throws IOException {
			try (ConfigurableApplicationContext context = start("1s")) {
				Api slowServer = api(context);

				Disconnect disconnect = sendAndWait(slowServer.port(), "POST /token HTTP/1.1\r\nHost: x\r\n");

				assertThat(disconnect.after()).as(disconnect.toString()).isLessThan(Duration.ofSeconds(5));
				assertThat(disconnect.response()).as(disconnect.toString())
					.satisfiesAnyOf((response) -> assertThat(response).isEmpty(),
							(response) -> assertThat(response).matches("(?s)HTTP/1.1 (408|400) .*"));
				// The server is still there for everyone else.
				assertThat(slowServer.tokenStatus("not-a-token").status()).isEqualTo(401);
			}
		}

		@Test
		void requestWhenClientStopsMidBodyThenDisconnectedAndNever5xx() throws IOException {
			try (ConfigurableApplicationContext context = start("1s")) {
				Api slowServer = api(context);

				Disconnect disconnect = sendAndWait(slowServer.port(),
						"POST /token HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n"
								+ "{\"username\":\"a\",");

				assertThat(disconnect.after()).as(disconnect.toString()).isLessThan(Duration.ofSeconds(5));
				assertThat(disconnect.response()).as(disconnect.toString())
					.satisfiesAnyOf((response) -> assertThat(response).isEmpty(),
							(response) -> assertThat(response).matches("(?s)HTTP/1.1 (408|400) .*"));
			}
		}

		@Test
		void requestWhenClientStopsMidHeadersThenDefaultTimeoutDisconnectsWithinSeconds() throws IOException {
			// The shared server runs with application.yml's connection-timeout (10 s).
			Disconnect disconnect = sendAndWait(api.port(), "POST /token HTTP/1.1\r\nHost: x\r\n");

			assertThat(disconnect.after()).as(disconnect.toString()).isLessThan(Duration.ofSeconds(15));
			assertThat(disconnect.response()).as(disconnect.toString())
				.satisfiesAnyOf((response) -> assertThat(response).isEmpty(),
						(response) -> assertThat(response).matches("(?s)HTTP/1.1 (408|400) .*"));
		}

		private ConfigurableApplicationContext start(String connectionTimeout) {
			return SpringApplication.run(TokenServiceApplication.class, "--server.port=0",
					"--data.dir=" + this.dir.resolve("data"), "--config.file=/dev/null", "--jwt.secret=" + SECRET,
					"--server.tomcat.connection-timeout=" + connectionTimeout);
		}

		private static Api api(ConfigurableApplicationContext context) {
			return new Api(Integer.parseInt(context.getEnvironment().getProperty("local.server.port")));
		}

		/**
		 * Sends part of a request, never the rest, and waits (at most 30 s) for the
		 * server to answer or hang up.
		 */
		private static Disconnect sendAndWait(int port, String partialRequest) throws IOException {
			try (Socket socket = new Socket("127.0.0.1", port)) {
				socket.setSoTimeout(30_000);
				OutputStream out = socket.getOutputStream();
				out.write(partialRequest.getBytes(StandardCharsets.ISO_8859_1));
				out.flush();
				long start = System.nanoTime();
				InputStream in = socket.getInputStream();
				byte[] response;
				try {
					response = in.readAllBytes();
				}
				catch (SocketTimeoutException ex) {
					throw new AssertionError("The server held the half-sent request for 30 s", ex);
				}
				catch (IOException ex) {
					// A reset is a hang-up too.
					response = new byte[0];
				}
				return new Disconnect(Duration.ofNanos(System.nanoTime() - start),
						new String(response, StandardCharsets.ISO_8859_1));
			}
		}

		record Disconnect(Duration after, String response) {
		}

	}

	private static String headOf(String rawResponse) {
		return rawResponse.split("\r\n\r\n", 2)[0] + "\r\n";
	}

	private static String bodyOf(String rawResponse) {
		String[] headAndBody = rawResponse.split("\r\n\r\n", 2);
		return (headAndBody.length > 1) ? headAndBody[1] : "";
	}

	private static Arguments call(String name, int status, BiFunction<Api, Holder, Reply> send) {
		return Arguments.of(Named.of(name, new Call(status, send)));
	}

	record Call(int status, BiFunction<Api, Holder, Reply> request) {

		Reply send(Api api, Holder holder) {
			return this.request.apply(api, holder);
		}

	}

	record Holder(String username, String token) {
	}

}
