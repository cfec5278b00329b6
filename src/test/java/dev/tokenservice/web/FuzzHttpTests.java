package dev.tokenservice.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Supplier;

import dev.tokenservice.support.Api;
import dev.tokenservice.support.HttpTestSupport;
import dev.tokenservice.support.Reply;
import dev.tokenservice.support.TestUsers;
import org.junit.jupiter.api.Test;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sends a few hundred generated malformed requests (bodies, headers, paths, encodings,
 * methods, credentials) to every endpoint and asserts for each: no 5xx, a JSON body
 * (except the server's own body for 414 and 431, as API.md allows), never an HTML page or
 * a stack trace, and no {@code Server} header. Every failure is collected with the
 * request that caused it, so one run shows every problem. The seed is printed; rerun a
 * failing sequence with {@code -Dfuzz.seed=N}.
 */
class FuzzHttpTests extends HttpTestSupport {

	private static final long SEED = Long.getLong("fuzz.seed", 20_251_125L);

	private static final int CLIENT_REQUESTS = Integer.getInteger("fuzz.requests", 480);

	private static final int RAW_REQUESTS = Integer.getInteger("fuzz.raw_requests", 80);

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final String[] LEAKS = { "Exception", "at java.", "at org.", "<html", "<HTML", "<!doctype",
			"<!DOCTYPE", "Apache Tomcat" };

	private final HttpClient client = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(5))
		.build();

	private final List<String> failures = new ArrayList<>();

	/** How many failures of each kind (problems and status), for the summary. */
	private final Map<String, Integer> kinds = new TreeMap<>();

	private Random random;

	/**
	 * The caller's password as JSON string content. Never one the generator produces, so
	 * only {@link #changePassword()}'s deliberate requests can change it.
	 */
	private String passwordJson = "Fuzz-Caller-7781-Garnet";

	/** The new password of a deliberate change-password request, until it is answered. */
	private String pendingPasswordJson;

	private String username;

	private String userToken;

	private String admin;

	/** The only existing account the admin's destructive fuzz requests may touch. */
	private long victimId;

	@Test
	void anyEndpointWhenMalformedRequestsThenNever5xxAlwaysJson() {
		System.out.println("FuzzHttpTests seed: " + SEED + " (rerun with -Dfuzz.seed=" + SEED + ")");
		this.random = new Random(SEED);
		this.username = registeredCaller();
		this.victimId = userIdOf(TestUsers.registered(this.api, "fuzz-victim"));
		refreshTokens();
		List<Supplier<FuzzRequest>> families = List.of(this::registerUser, this::tokenJson, this::tokenForm,
				this::tokenStatusPath, this::tokenStatusHeader, this::me, this::users, this::user, this::toggle,
				this::removeUser, this::changePassword, this::logoutAll, this::revoke, this::introspect,
				this::unknownPath);
		long start = System.nanoTime();

		for (int i = 0; i < CLIENT_REQUESTS; i++) {
			FuzzRequest request = maybeOddMethod(pick(families).get());
			Outcome outcome = send(request);
			check(request, outcome);
			if (this.pendingPasswordJson != null && outcome.status() == 200) {
				this.passwordJson = this.pendingPasswordJson;
			}
			this.pendingPasswordJson = null;
			if (request.family().matches("change-password|logout-all") && outcome.status() == 200) {
				refreshTokens();
			}
		}
		for (int i = 0; i < RAW_REQUESTS; i++) {
			String request = rawRequest();
			check(FuzzRequest.raw(request), raw(request));
		}

		System.out.printf("FuzzHttpTests: %d requests in %d ms, %d failures%n", CLIENT_REQUESTS + RAW_REQUESTS,
				(System.nanoTime() - start) / 1_000_000, this.failures.size());
		this.failures.forEach(System.out::println);
		assertThat(this.failures)
			.as("seed " + SEED + ": " + this.failures.size() + " failing request(s), by kind " + this.kinds + ":\n"
					+ String.join("\n", this.failures))
			.isEmpty();
	}

	// The endpoints

	private FuzzRequest registerUser() {
		return jsonRequest("register-user", "POST", "/register-user", null, List.of("username", "password", "email"));
	}

	private FuzzRequest tokenJson() {
		return jsonRequest("token (JSON)", "POST", "/token", null, List.of("username", "password"));
	}

	private FuzzRequest tokenForm() {
		return formRequest("token (form)", "/token" + maybe(0.1, () -> "?" + formText()), randomAuthorization(false),
				List.of("grant_type", "username", "password", "scope", "client_id"));
	}

	private FuzzRequest tokenStatusPath() {
		String token = switch (this.random.nextInt(6)) {
			case 0 -> mangledToken(this.userToken);
			case 1 -> this.userToken + "/" + segment();
			case 2 -> this.userToken.replace(".", pick(List.of("%2E", "%2F", "/", ";", "..")));
			default -> segment();
		};
		return new FuzzRequest("token_status/{x}", pick(List.of("GET", "GET", "GET", "HEAD", "POST", "OPTIONS")),
				"/token_status/" + token + maybe(0.1, () -> "?" + formText()), headers(randomAuthorization(false)),
				maybe(0.1, () -> anyBody()).getBytes(StandardCharsets.UTF_8));
	}

	private FuzzRequest tokenStatusHeader() {
		List<String[]> headers = headers(randomAuthorization(false));
		String second = randomAuthorization(false);
		if (this.random.nextInt(4) == 0 && second != null) {
			// Two Authorization headers.
			headers.add(new String[] { "Authorization", second });
		}
		return new FuzzRequest("token_status (header)", "GET", "/token_status" + maybe(0.2, () -> "/"), headers,
				new byte[0]);
	}

	private FuzzRequest me() {
		return new FuzzRequest("me", "GET", "/me" + maybe(0.1, () -> "?" + formText()),
				headers(randomAuthorization(true)), new byte[0]);
	}

	private FuzzRequest users() {
		String query = pick(List.of("", "?page=" + number(), "?size=" + number(),
				"?page=" + number() + "&size=" + number(), "?page=0&page=1", "?size=" + segment(), "?" + formText()));
		return new FuzzRequest("users", "GET", "/users" + query, headers(randomAuthorization(true)), new byte[0]);
	}

	private FuzzRequest user() {
		return new FuzzRequest("users/{x}", "GET", "/users/" + pick(List.of(number(), segment(), safeId())),
				headers(randomAuthorization(true)), new byte[0]);
	}

	private FuzzRequest toggle() {
		String authorization = randomAuthorization(true);
		String id = adminCalls(authorization) ? safeId() : pick(List.of(number(), segment()));
		String flag = pick(List.of("0", "1", "2", "-1", "01", "+1", "1.0", "true", "%20", "0x1", number(), segment()));
		return new FuzzRequest("toggle-user-permission/{x}/{y}", "PUT", "/toggle-user-permission/" + id + "/" + flag,
				headers(authorization), maybe(0.2, this::anyBody).getBytes(StandardCharsets.UTF_8));
	}

	private FuzzRequest removeUser() {
		String authorization = randomAuthorization(true);
		String id = adminCalls(authorization) ? safeId() : pick(List.of(number(), segment()));
		return new FuzzRequest("remove-user/{x}", "DELETE", "/remove-user/" + id, headers(authorization), new byte[0]);
	}

	private FuzzRequest changePassword() {
		if (this.random.nextInt(4) == 0) {
			// The right current password and an odd new one: reaches the policy.
			this.pendingPasswordJson = oddString();
			String body = "{\"current_password\":\"" + this.passwordJson + "\",\"new_password\":\""
					+ this.pendingPasswordJson + "\"}";
			return new FuzzRequest("change-password", "POST", "/change-password",
					headers(Api.bearer(this.userToken), "Content-Type", "application/json"),
					body.getBytes(StandardCharsets.UTF_8));
		}
		return jsonRequest("change-password", "POST", "/change-password", randomAuthorization(true),
				List.of("current_password", "new_password"));
	}

	private FuzzRequest logoutAll() {
		String authorization = randomAuthorization(true);
		String query = adminCalls(authorization) ? pick(List.of("", "?user_id=" + safeId())) : pick(
				List.of("", "?user_id=" + number(), "?user_id=" + segment(), "?user_id=1&user_id=2", "?" + formText()));
		return new FuzzRequest("logout-all", "POST", "/logout-all" + query, withContentType(headers(authorization)),
				maybe(0.3, this::anyBody).getBytes(StandardCharsets.UTF_8));
	}

	private FuzzRequest revoke() {
		return formRequest("revoke", "/revoke", randomAuthorization(true), List.of("token", "token_type_hint"));
	}

	private FuzzRequest introspect() {
		String authorization = switch (this.random.nextInt(5)) {
			case 0 -> Api.basic(INTROSPECTION_CLIENT_ID, INTROSPECTION_CLIENT_SECRET);
			case 1 -> Api.basic(INTROSPECTION_CLIENT_ID, oddAscii(this.random.nextInt(40)));
			default -> randomAuthorization(true);
		};
		return formRequest("introspect", "/introspect", authorization, List.of("token", "token_type_hint"));
	}

	private FuzzRequest unknownPath() {
		StringBuilder path = new StringBuilder();
		int segments = 1 + this.random.nextInt(4);
		for (int i = 0; i < segments; i++) {
			path.append('/')
				.append(pick(List.of(segment(), "..", ".", "", "token", "users", "admin", "actuator", "h2-console",
						"error", "WEB-INF", "META-INF", "register-user", "%2e%2e", "index.html")));
		}
		return new FuzzRequest("unknown path", pick(List.of("GET", "POST", "PUT", "DELETE", "PATCH")), path.toString(),
				withContentType(headers(randomAuthorization(false))),
				maybe(0.3, this::anyBody).getBytes(StandardCharsets.UTF_8));
	}

	// Bodies

	private FuzzRequest jsonRequest(String family, String method, String path, String authorization,
			List<String> fields) {
		List<String[]> headers = headers(authorization);
		headers.add(new String[] { "Content-Type", contentType("application/json") });
		maybeAccept(headers);
		return new FuzzRequest(family, method, path, headers, jsonBody(fields));
	}

	private FuzzRequest formRequest(String family, String path, String authorization, List<String> names) {
		List<String[]> headers = headers(authorization);
		headers.add(new String[] { "Content-Type", contentType("application/x-www-form-urlencoded") });
		maybeAccept(headers);
		return new FuzzRequest(family, "POST", path, headers, formBody(names));
	}

	private byte[] jsonBody(List<String> fields) {
		return switch (this.random.nextInt(12)) {
			case 0, 1, 2, 3 -> utf8(jsonObject(fields));
			case 4 -> {
				String json = jsonObject(fields);
				yield utf8(json.substring(0, index(json.length() + 1)));
			}
			case 5 -> utf8(deeplyNested(fields));
			case 6 -> utf8(huge(fields));
			case 7 -> utf8(pick(List.of("null", "[]", "\"text\"", "123", "true", "{}", "", " ", "\uFEFF{}", "{}{}",
					"{\"" + fields.get(0) + "\":1,}", "{" + fields.get(0) + ":\"a\"}", "{'" + fields.get(0) + "':'a'}",
					"{\"a\":NaN}", "{\"a\":Infinity}", "/* c */ {}", "{\"a\":1} // c", "[{}]", "{\"a\":\"\\x41\"}",
					"{\"a\":\"\\u12\"}", "{\"a\":\"\\uZZZZ\"}",
					"{\"" + fields.get(0) + "\":\"a\",\"" + fields.get(0) + "\":\"b\"}")));
			case 8 -> randomBytes(1 + this.random.nextInt(400));
			case 9 -> withBadUtf8(jsonObject(fields));
			case 10 -> utf8(jsonObject(fields).replace("\"", pick(List.of("'", "\\\"", "\u201C", "\"\""))));
			default -> utf8(jsonObject(fields) + pick(List.of("garbage", "\u0000", "]", "}", ",", "{}")));
		};
	}

	private String jsonObject(List<String> fields) {
		StringBuilder json = new StringBuilder("{");
		List<String> names = new ArrayList<>(fields);
		if (this.random.nextInt(4) == 0) {
			names.add(pick(
					List.of("email", "role", "admin", "enabled", "user_id", "__proto__", "", "\\u0000", oddString())));
		}
		String separator = "";
		for (String name : names) {
			if (this.random.nextInt(6) != 0) {
				json.append(separator).append('"').append(name).append("\":").append(jsonValue(2));
				separator = ",";
			}
		}
		return json.append('}').toString();
	}

	private String jsonValue(int depth) {
		return switch (this.random.nextInt((depth > 0) ? 10 : 7)) {
			case 0, 1, 2 -> "\"" + oddString() + "\"";
			case 3 -> number();
			case 4 -> pick(List.of("true", "false", "null"));
			case 5 -> "\"" + TestUsers.PASSWORD + "\"";
			case 6 -> "\"" + "x".repeat(pick(List.of(0, 1, 3, 64, 65, 72, 73, 255, 5000))) + "\"";
			case 7 -> "[" + jsonValue(depth - 1) + "," + jsonValue(depth - 1) + "]";
			case 8 -> "{\"a\":" + jsonValue(depth - 1) + "}";
			default -> "[]";
		};
	}

	private String deeplyNested(List<String> fields) {
		int depth = pick(List.of(64, 500, 999, 1001, 2000, 10_000, 30_000));
		String open = pick(List.of("[", "{\"a\":"));
		String close = open.equals("[") ? "]" : "}";
		String closing = (this.random.nextBoolean()) ? close.repeat(depth) : "";
		String nested = open.repeat(depth) + "1" + closing;
		return (this.random.nextBoolean()) ? nested : "{\"" + pick(fields) + "\":" + nested + "}";
	}

	private String huge(List<String> fields) {
		return switch (this.random.nextInt(6)) {
			case 0 -> "{\"" + fields.get(0) + "\":\"" + "a".repeat(pick(List.of(60_000, 65_600, 70_000))) + "\"}";
			case 1 -> {
				StringBuilder many = new StringBuilder("{");
				for (int i = 0; i < 5000; i++) {
					many.append("\"k").append(i).append("\":1,");
				}
				yield many.append("\"").append(fields.get(0)).append("\":\"a\"}").toString();
			}
			case 2 -> "{\"" + fields.get(0) + "\":" + "9".repeat(pick(List.of(400, 1001, 20_000))) + "}";
			case 3 -> "{\"" + fields.get(0) + "\":\"" + "\\u0000".repeat(5000) + "\"}";
			case 4 -> "{\"" + fields.get(0) + "\":1e999999999}";
			default -> "{\"" + fields.get(0) + "\":\"" + "\uD83D\uDE42".repeat(9000) + "\"}";
		};
	}

	private byte[] formBody(List<String> names) {
		return switch (this.random.nextInt(8)) {
			case 0 -> randomBytes(1 + this.random.nextInt(300));
			case 1 -> utf8("grant_type=password&username=" + pick(List.of(this.username, "x", "%zz")) + "&password="
					+ "p".repeat(pick(List.of(66_000, 70_000))));
			case 2 -> withBadUtf8(formText(names));
			default -> utf8(formText(names));
		};
	}

	private String formText() {
		return formText(List.of("grant_type", "username", "password", "token"));
	}

	private String formText(List<String> names) {
		StringBuilder form = new StringBuilder();
		int parameters = this.random.nextInt(6);
		for (int i = 0; i < parameters; i++) {
			if (i > 0) {
				form.append(pick(List.of("&", "&", "&", "&&", ";", "&amp;")));
			}
			String name = (this.random.nextInt(5) == 0) ? formValue() : pick(names);
			form.append(name);
			if (this.random.nextInt(8) != 0) {
				form.append(pick(List.of("=", "=", "=", "==", "=%3D")));
				form.append(formValue());
			}
		}
		return form.toString();
	}

	private String formValue() {
		return switch (this.random.nextInt(12)) {
			case 0 -> "password";
			case 1 -> this.username;
			case 2 -> mangledToken(this.userToken);
			case 3 -> pick(List.of("%zz", "%", "%2", "%G1", "%u0041", "%%", "%C0%AF", "%00", "%FF", "%ED%A0%80",
					"%F0%9F", "%E2%80%AE", "+", "%2B", "%0D%0A"));
			case 4 -> "";
			case 5 -> oddAscii(1 + this.random.nextInt(50));
			case 6 -> "x".repeat(pick(List.of(72, 73, 1000, 9000)));
			case 7 -> "\u202E\u0000\uFEFF\uD83D\uDE42\u00e9\u0301";
			default -> segment();
		};
	}

	// Strings, numbers and path segments

	/** The inside of a JSON string: escapes, lone surrogates, NUL, RTL marks, emoji. */
	private String oddString() {
		StringBuilder text = new StringBuilder();
		int pieces = 1 + this.random.nextInt(5);
		for (int i = 0; i < pieces; i++) {
			text.append(pick(List.of("alice", "Admin", "root-admin", "\\ud800", "\\udfff", "\\udfff\\ud800", "\\u0000",
					"\\u001f", "\u0001", "\t", "\n", "\u202E", "\u200B", "\uFEFF", "\uD83D\uDE42",
					"\uD83D\uDC68\u200D\uD83D\uDC69\u200D\uD83D\uDC67", "e\u0301", "\uFF41\uFF44\uFF4D\uFF49\uFF4E",
					"\u0130", "\u0131", "\u212A", "\u00DF", "\\\"", "\\\\", "%00", "' OR 1=1 --", "<script>",
					"${jndi:ldap://x/a}", "../../etc/passwd", "@", "a@b.io", "\\/", "\u0660\u0661",
					"Sun-Orchard-8142-Quill", "x".repeat(80))));
		}
		return text.toString();
	}

	private String oddAscii(int length) {
		StringBuilder text = new StringBuilder();
		for (int i = 0; i < length; i++) {
			text.append((char) (0x21 + this.random.nextInt(0x5e)));
		}
		return text.toString();
	}

	private String number() {
		return pick(List.of("0", "1", "-1", "2147483648", "9223372036854775807", "9223372036854775808",
				"-9223372036854775809", "1.5", "1e3", "1e999", "-0", "0x10", "NaN", "1" + "0".repeat(40), "", "+1",
				"%20"));
	}

	/** Ids an admin's fuzz request may name: the victim, or no existing account. */
	private String safeId() {
		long huge = 1_000_000_000_000L + this.random.nextInt(1_000_000);
		return pick(List.of(Long.toString(this.victimId), "+" + this.victimId, Long.toString(huge), "-" + huge,
				"0x" + Long.toHexString(huge), "9223372036854775807", "9223372036854775808", "-1", "0", "abc",
				this.victimId + ".0", this.victimId + "abc", "%20" + huge, "1e20", "NaN", segment()));
	}

	/** A path segment that is still a valid URI: safe characters and valid escapes. */
	private String segment() {
		return switch (this.random.nextInt(10)) {
			case 0 -> "";
			case 1 -> pick(List.of("%00", "%2F", "%5C", "%2e%2e", "%2E", "%25", "%20", ";a=b", "%3B", "%0A", "%7B%7D",
					"%C0%AF", "%FF%FE", "%ED%A0%80", "%F0%9F%99%82", "%E2%80%AE", "~", "-", "_", "."));
			case 2 -> "a".repeat(pick(List.of(8193, 9000, 12_000, 17_000)));
			case 3 -> percentEncoded(randomBytes(1 + this.random.nextInt(40)));
			case 4 -> "eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0.";
			default -> {
				StringBuilder text = new StringBuilder();
				int length = 1 + this.random.nextInt(60);
				String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~=+!$&'()*,:@";
				for (int i = 0; i < length; i++) {
					text.append(alphabet.charAt(this.random.nextInt(alphabet.length())));
				}
				yield text.toString();
			}
		};
	}

	private String mangledToken(String token) {
		int at = index(token.length());
		return switch (this.random.nextInt(8)) {
			case 0 -> token + pick(List.of("x", "=", "==", ".", " ", "%20", "A"));
			case 1 -> token.substring(0, at);
			case 2 ->
				token.substring(0, at) + pick(List.of("+", "/", "=", "A", "_", "-", "%2B")) + token.substring(at + 1);
			case 3 -> token.replace('-', '+').replace('_', '/');
			case 4 -> token.substring(0, token.lastIndexOf('.') + 1);
			case 5 -> token + "." + token;
			case 6 -> token.toUpperCase(Locale.ROOT);
			default -> token.substring(token.indexOf('.') + 1);
		};
	}

	// Headers

	private String randomAuthorization(boolean protectedEndpoint) {
		int choice = this.random.nextInt(protectedEndpoint ? 14 : 12);
		return switch (choice) {
			case 0, 1, 2 -> null;
			case 3 -> Api.bearer(this.userToken);
			case 4 -> Api.bearer(mangledToken(this.userToken));
			case 5 -> pick(List.of("Bearer", "Bearer ", "bearer " + this.userToken, "BEARER " + this.userToken,
					"Bearer  " + this.userToken, "Bearer " + this.userToken + " extra", "Bearer a.b.c", "Bearer ...",
					"Bearer e30.e30.", "Bearer " + oddAscii(40), "Token " + this.userToken));
			case 6 -> "Bearer " + "A".repeat(pick(List.of(8000, 8193, 15_000, 17_000, 40_000)));
			case 7 -> pick(List.of("Basic", "Basic ", "Basic !!!", "Basic ====", "Basic " + base64("no-colon"),
					"Basic " + base64(":"), "Basic " + base64(INTROSPECTION_CLIENT_ID + ":"),
					"Basic " + base64(":" + INTROSPECTION_CLIENT_SECRET), "Basic " + base64("\u0000:\u0000"),
					"Basic " + base64("\uD83D\uDE42:\u202E"), "Basic " + base64(oddAscii(200)),
					"Basic " + "QUFB".repeat(4000)));
			case 8 -> pick(List.of("Digest username=\"a\"", "Negotiate YII=", "NTLM TlRMTVNTUAAB", "OAuth x=1", "", " ",
					oddAscii(30), "Bearer " + this.userToken + ", Basic " + base64("a:b")));
			case 9 -> Api.basic(INTROSPECTION_CLIENT_ID, INTROSPECTION_CLIENT_SECRET);
			case 10 -> "Bearer " + oddAscii(this.random.nextInt(300));
			case 11 -> Api.bearer(this.userToken.replace(
					this.userToken.substring(this.userToken.indexOf('.') + 1, this.userToken.lastIndexOf('.')),
					base64Url("{\"sub\":\"1\",\"exp\":99999999999}")));
			default -> Api.bearer(this.admin);
		};
	}

	private boolean adminCalls(String authorization) {
		return authorization != null && authorization.contains(this.admin);
	}

	private List<String[]> headers(String authorization, String... more) {
		List<String[]> headers = new ArrayList<>();
		if (authorization != null) {
			headers.add(new String[] { "Authorization", authorization });
		}
		for (int i = 0; i < more.length; i += 2) {
			headers.add(new String[] { more[i], more[i + 1] });
		}
		if (this.random.nextInt(8) == 0) {
			headers.add(pick(List.of(new String[] { "X-Forwarded-For", "1.2.3.4, <script>" },
					new String[] { "X-Request-Id", oddAscii(100) }, new String[] { "Origin", "http://evil.example" },
					new String[] { "Cookie", "JSESSIONID=" + oddAscii(20) },
					new String[] { "Content-Encoding", "gzip" }, new String[] { "Transfer-Encoding", "gzip" },
					new String[] { "X-HTTP-Method-Override", "DELETE" }, new String[] { "Range", "bytes=0-1" },
					new String[] { "If-None-Match", "*" }, new String[] { "Accept-Charset", "bogus" },
					new String[] { "X-" + oddAscii(5).replaceAll("[^A-Za-z]", "a"), "x".repeat(9000) })));
		}
		return headers;
	}

	private List<String[]> withContentType(List<String[]> headers) {
		if (this.random.nextBoolean()) {
			headers.add(new String[] { "Content-Type",
					contentType(pick(List.of("application/json", "application/x-www-form-urlencoded"))) });
		}
		return headers;
	}

	private void maybeAccept(List<String[]> headers) {
		if (this.random.nextInt(6) == 0) {
			headers.add(new String[] { "Accept", pick(List.of("application/xml", "text/html", "text/plain", "image/png",
					"*/*", "application/json;q=0", "garbage", "application/problem+json", "", ";;;", "*/*;q=x")) });
		}
	}

	private String contentType(String usual) {
		if (this.random.nextInt(5) < 3) {
			return usual;
		}
		return pick(List.of(usual + "; charset=UTF-16", usual + "; charset=bogus", usual + "; charset=\"utf-8\"",
				usual + ";charset=", usual + "; charset=ISO-8859-1", usual + "; charset=UTF-32", usual + "; q=0.5; =",
				usual.toUpperCase(Locale.ROOT), usual + ", text/plain", "text/plain", "text/html", "application/xml",
				"multipart/form-data", "multipart/form-data; boundary=----x", "*/*", "application/*", "garbage",
				"application/", "/json", ";", "", "application/vnd.api+json", "application/json-patch+json",
				"application/x-www-form-urlencoded, application/json", "application/octet-stream"));
	}

	// Sending

	private FuzzRequest maybeOddMethod(FuzzRequest request) {
		if (this.random.nextInt(10) != 0) {
			return request;
		}
		String method = pick(List.of("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "TRACE", "FOO",
				"PROPFIND", "get", "MKCOL", "X".repeat(300)));
		return new FuzzRequest(request.family(), method, request.target(), request.headers(), request.body());
	}

	private Outcome send(FuzzRequest request) {
		HttpRequest built;
		try {
			HttpRequest.Builder builder = HttpRequest
				.newBuilder(URI.create("http://127.0.0.1:" + this.api.port() + request.target()))
				.timeout(Duration.ofSeconds(30))
				.method(request.method(), (request.body().length > 0) ? BodyPublishers.ofByteArray(request.body())
						: BodyPublishers.noBody());
			request.headers().forEach((header) -> builder.header(header[0], header[1]));
			built = builder.build();
		}
		catch (IllegalArgumentException ex) {
			// A request the client library will not build: the same bytes, raw.
			return raw(request.raw());
		}
		try {
			HttpResponse<byte[]> response = this.client.send(built, BodyHandlers.ofByteArray());
			return new Outcome(response.statusCode(), response.headers().firstValue("Content-Type").orElse(null),
					response.headers().firstValue("Server").isPresent(),
					new String(response.body(), StandardCharsets.UTF_8));
		}
		catch (IOException ex) {
			return new Outcome(-1, null, false, ex.getClass().getSimpleName() + ": " + ex.getMessage());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private void check(FuzzRequest request, Outcome outcome) {
		List<String> problems = new ArrayList<>();
		boolean serversOwnBody = outcome.status() == 414 || outcome.status() == 431;
		boolean noBodyExpected = request.method().equals("HEAD")
				|| (request.method().equals("OPTIONS") && outcome.status() < 300);
		if (outcome.status() < 0 && request.http09()) {
			if (!isJsonText(outcome.body())) {
				problems.add("HTTP/0.9 response not JSON");
			}
		}
		else if (outcome.status() < 0) {
			problems.add("no HTTP/1.1 response, got: " + shortened(outcome.body(), 80));
		}
		else if (outcome.status() >= 500) {
			problems.add("5xx");
		}
		if (outcome.status() >= 0 && !serversOwnBody && !noBodyExpected && !isJson(outcome)) {
			problems.add("not a JSON body");
		}
		if (outcome.status() >= 400 && request.method().equals("HEAD") && !isJsonType(outcome.contentType())) {
			problems.add("HEAD error without a JSON Content-Type");
		}
		for (String leak : LEAKS) {
			if (outcome.body().contains(leak) && !(serversOwnBody && leak.startsWith("<"))) {
				problems.add("body contains '" + leak + "'");
			}
		}
		if (outcome.server()) {
			problems.add("Server header");
		}
		if (!problems.isEmpty()) {
			this.kinds.merge(problems + " " + outcome.status(), 1, Integer::sum);
			this.failures
				.add(String.format("%s [%s]%n    request:  %s%n    response: %d %s %s", problems, request.family(),
						request.describe(), outcome.status(), outcome.contentType(), shortened(outcome.body(), 300)));
		}
	}

	private static boolean isJson(Outcome outcome) {
		return isJsonType(outcome.contentType()) && isJsonText(outcome.body());
	}

	private static boolean isJsonText(String body) {
		if (body.isBlank()) {
			return false;
		}
		try {
			JSON.readTree(body);
			return true;
		}
		catch (JacksonException ex) {
			return false;
		}
	}

	private static boolean isJsonType(String contentType) {
		return contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith("application/json");
	}

	private void refreshTokens() {
		Reply login = this.api.postJson("/token",
				"{\"username\":\"" + this.username + "\",\"password\":\"" + this.passwordJson + "\"}");
		if (login.status() != 200) {
			this.failures.add("[a password /change-password accepted does not log in] password JSON \""
					+ shortened(this.passwordJson, 200) + "\" -> " + login);
			this.username = registeredCaller();
			this.userToken = this.api.tokenFor(this.username, this.passwordJson);
		}
		else {
			this.userToken = login.text("token");
		}
		this.admin = adminToken();
	}

	private String registeredCaller() {
		this.passwordJson = "Fuzz-Caller-7781-Garnet";
		String name = TestUsers.uniqueName("fuzz");
		Reply registered = this.api.register(name, this.passwordJson, TestUsers.emailOf(name));
		assertThat(registered.status()).as(registered.toString()).isEqualTo(201);
		return name;
	}

	// Raw requests: what no client library sends

	private String rawRequest() {
		return switch (this.random.nextInt(9)) {
			case 0 -> requestLine(pick(List.of("GET", "POST", "PUT", "DELETE")), badPercentTarget(), "HTTP/1.1");
			case 1 -> requestLine(pick(List.of("GET", "POST")), rawTarget(), "HTTP/1.1");
			case 2 -> requestLine("GET", "/token_status/abc", pick(List.of("HTTP/1.2", "HTTP/2", "HTTP/2.0", "HTTP/1",
					"http/1.1", "HTTP/1.1 extra", "HTTP/11", "HTTP/1.1\u0000", "")));
			case 3 -> pick(List.of("get / HTTP/1.1", "G E T / HTTP/1.1", "X".repeat(10_000) + " / HTTP/1.1",
					"CONNECT localhost:80 HTTP/1.1", "PRI * HTTP/2.0", "OPTIONS * HTTP/1.1",
					"GET http://evil.example/token_status/x HTTP/1.1", "GET  /me  HTTP/1.1", "GET\t/me\tHTTP/1.1",
					"\r\nGET /me HTTP/1.1", "GET /me?" + "a".repeat(20_000) + " HTTP/1.1")) + "\r\nHost: localhost\r\n"
					+ "Connection: close\r\n\r\n";
			case 4 -> badHeaders();
			case 5 -> badFraming();
			case 6 -> formWithBadEncoding();
			case 7 -> jsonWithRawBytes();
			default -> new String(randomBytes(1 + this.random.nextInt(200)), StandardCharsets.ISO_8859_1) + "\r\n\r\n";
		};
	}

	private String requestLine(String method, String target, String version) {
		return method + " " + target + (version.isEmpty() ? "" : " " + version)
				+ "\r\nHost: localhost\r\nConnection: close\r\n\r\n";
	}

	private String badPercentTarget() {
		String base = pick(List.of("/token_status/", "/users/", "/remove-user/", "/toggle-user-permission/1/",
				"/register-user", "/token", "/me", "/", "/users?page=", "/logout-all?user_id=", "/token_status?x="));
		return base + segment().replace("%", "") + pick(List.of("%zz", "%", "%G0", "%%", "%2", "%u0041", "%C0%AE",
				"%C0%AF", "%E0%80%AF", "%ED%A0%80", "%FF", "%00", "%2F", "%5C", "%0D%0A", "%C3%28"));
	}

	private String rawTarget() {
		String base = pick(List.of("/token_status/", "/users/", "/", "/me/", "/token?"));
		StringBuilder target = new StringBuilder(base);
		int length = 1 + this.random.nextInt(10);
		for (int i = 0; i < length; i++) {
			target.append(pick(List.of("a", "<", ">", "\"", "{", "}", "|", "\\", "^", "`", "\u0000", "\u0001", "\u007f",
					"\u0080", "\u00ff", "\u00e9", "[", "]", "#", "..", "//", ";")));
		}
		return target.toString();
	}

	private String badHeaders() {
		String header = pick(List.of("NoColon", "Bad Name: x", ": empty-name", "X-Fold: a\r\n folded",
				"X-Nul: a\u0000b", "X-High: \u00ff\u00fe", "Authorization: Bearer \u0000", "Host: a\r\nHost: b",
				"Authorization: Basic \u00ff\u00ff", "X-Big: " + "x".repeat(20_000),
				"Content-Type: application/json\u0000", "Authorization:" + "a".repeat(17_000), "X-CR: a\rb",
				"X-LF: a\nb"));
		String path = pick(List.of("/token_status", "/me", "/users", "/token"));
		String headers = (this.random.nextInt(3) == 0) ? "" : "Host: localhost\r\n";
		return "GET " + path + " HTTP/1.1\r\n" + headers + header + "\r\nConnection: close\r\n\r\n";
	}

	private String badFraming() {
		String body = "{\"username\":\"a\",\"password\":\"b\"}";
		String framing = pick(List.of("Content-Length: -1", "Content-Length: abc", "Content-Length: 1, 2",
				"Content-Length: " + body.length() + "\r\nContent-Length: 3", "Transfer-Encoding: chunked",
				"Transfer-Encoding: chunked\r\nContent-Length: 5", "Transfer-Encoding: gzip",
				"Transfer-Encoding: chunked, identity", "Content-Length: 99999999999999999999",
				"Content-Length: " + body.length() + "\r\nExpect: 100-continue", "Expect: 200-ok"));
		String payload = framing.startsWith("Transfer-Encoding: chunked")
				? pick(List.of("zz\r\n" + body + "\r\n0\r\n\r\n",
						Integer.toHexString(body.length()) + "\r\n" + body + "\r\n0\r\n\r\n", "-1\r\n\r\n",
						"fffffffffffffffff\r\nx\r\n0\r\n\r\n"))
				: body;
		return "POST " + pick(List.of("/token", "/register-user", "/change-password")) + " HTTP/1.1\r\n"
				+ "Host: localhost\r\nContent-Type: application/json\r\n" + framing + "\r\nConnection: close\r\n\r\n"
				+ payload;
	}

	private String formWithBadEncoding() {
		String body = pick(List.of("grant_type=password&username=a&password=%zz", "token=%", "token=%E2%82",
				"grant_type=%ZZpassword", "username=%C0%AF&password=%FF%FE&grant_type=password", "%=%", "=&=&=",
				"token=" + "%41".repeat(3000), "token=a&token=b", "grant_type=password&grant_type=password"));
		String path = pick(List.of("/token", "/revoke", "/introspect"));
		String authorization = path.equals("/token") ? ""
				: "Authorization: " + (path.equals("/introspect")
						? Api.basic(INTROSPECTION_CLIENT_ID, INTROSPECTION_CLIENT_SECRET) : Api.bearer(this.userToken))
						+ "\r\n";
		return "POST " + path + " HTTP/1.1\r\nHost: localhost\r\n" + authorization
				+ "Content-Type: application/x-www-form-urlencoded"
				+ pick(List.of("", "; charset=bogus", "; charset=UTF-16")) + "\r\nContent-Length: " + body.length()
				+ "\r\nConnection: close\r\n\r\n" + body;
	}

	private String jsonWithRawBytes() {
		String body = "{\"username\":\""
				+ pick(List.of("\u00c0\u00af", "\u00ff", "\u00ed\u00a0\u0080", "\u00e2\u0082", "\u00c3\u0028",
						"\u00f8\u0088\u0080\u0080\u0080", "\u0000"))
				+ "\",\"password\":\"" + TestUsers.PASSWORD + "\",\"email\":\"a@b.io\"}";
		String path = pick(List.of("/token", "/register-user"));
		return "POST " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json"
				+ pick(List.of("", "; charset=UTF-8", "; charset=ISO-8859-1", "; charset=UTF-16BE"))
				+ "\r\nContent-Length: " + body.length() + "\r\nConnection: close\r\n\r\n" + body;
	}

	private Outcome raw(String request) {
		try {
			return parse(this.api.raw(request));
		}
		catch (UncheckedIOException ex) {
			return new Outcome(-1, null, false, ex.getCause().toString());
		}
	}

	/** Status, Content-Type and body of a raw response, chunked or not. */
	private static Outcome parse(String response) {
		String rest = response;
		while (rest.startsWith("HTTP/1.1 1") && rest.indexOf("\r\n\r\n") > 0) {
			rest = rest.substring(rest.indexOf("\r\n\r\n") + 4);
		}
		if (!rest.matches("(?s)HTTP/1\\.1 \\d{3}.*")) {
			return new Outcome(-1, null, false, shortened(response, 200));
		}
		int status = Integer.parseInt(rest.substring(9, 12));
		String[] headAndBody = rest.split("\r\n\r\n", 2);
		String contentType = null;
		boolean server = false;
		boolean chunked = false;
		for (String line : headAndBody[0].split("\r\n")) {
			String lower = line.toLowerCase(Locale.ROOT);
			if (lower.startsWith("content-type:")) {
				contentType = line.substring(13).strip();
			}
			server |= lower.startsWith("server:");
			chunked |= lower.startsWith("transfer-encoding:") && lower.contains("chunked");
		}
		String body = (headAndBody.length > 1) ? headAndBody[1] : "";
		if (chunked) {
			body = unchunked(body);
		}
		return new Outcome(status, contentType, server,
				new String(body.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8));
	}

	private static String unchunked(String body) {
		StringBuilder out = new StringBuilder();
		String rest = body;
		while (true) {
			int lineEnd = rest.indexOf("\r\n");
			if (lineEnd < 0) {
				return out.toString();
			}
			int size;
			try {
				size = Integer.parseInt(rest.substring(0, lineEnd).split(";")[0].strip(), 16);
			}
			catch (NumberFormatException ex) {
				return out.toString();
			}
			if (size == 0 || rest.length() < lineEnd + 2 + size) {
				return out.toString();
			}
			out.append(rest, lineEnd + 2, lineEnd + 2 + size);
			rest = rest.substring(Math.min(rest.length(), lineEnd + 4 + size));
		}
	}

	// Helpers

	/**
	 * A random index below a bound that depends on state (token and username lengths
	 * differ between runs): it draws the same amount of randomness whatever the bound, so
	 * one seed gives one sequence of requests.
	 */
	private int index(int bound) {
		return (int) (this.random.nextDouble() * bound);
	}

	private <T> T pick(List<T> choices) {
		return choices.get(this.random.nextInt(choices.size()));
	}

	private String maybe(double probability, Supplier<String> text) {
		return (this.random.nextDouble() < probability) ? text.get() : "";
	}

	private String anyBody() {
		return new String(jsonBody(List.of("username", "password")), StandardCharsets.UTF_8);
	}

	private byte[] randomBytes(int length) {
		byte[] bytes = new byte[length];
		this.random.nextBytes(bytes);
		return bytes;
	}

	/** The text as UTF-8 with one invalid or overlong sequence spliced in. */
	private byte[] withBadUtf8(String text) {
		byte[] bad = pick(List.of(new byte[] { (byte) 0xC0, (byte) 0xAF }, new byte[] { (byte) 0xFF },
				new byte[] { (byte) 0xED, (byte) 0xA0, (byte) 0x80 }, new byte[] { (byte) 0xE2, (byte) 0x82 },
				new byte[] { (byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80 },
				new byte[] { (byte) 0xE0, (byte) 0x80, (byte) 0xAF }, new byte[] { 0 }));
		byte[] utf8 = utf8(text);
		int at = index(utf8.length + 1);
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		out.write(utf8, 0, at);
		out.write(bad, 0, bad.length);
		out.write(utf8, at, utf8.length - at);
		return out.toByteArray();
	}

	private static String percentEncoded(byte[] bytes) {
		StringBuilder text = new StringBuilder();
		for (byte b : bytes) {
			text.append('%').append(String.format("%02X", b & 0xff));
		}
		return text.toString();
	}

	private static byte[] utf8(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	private static String base64(String text) {
		return Base64.getEncoder().encodeToString(utf8(text));
	}

	private static String base64Url(String text) {
		return Base64.getUrlEncoder().withoutPadding().encodeToString(utf8(text));
	}

	/** Printable and short: control, format and lone surrogate characters as escapes. */
	private static String shortened(String text, int max) {
		StringBuilder printable = new StringBuilder();
		text.codePoints().limit(max).forEach((c) -> {
			int type = Character.getType(c);
			if (type == Character.CONTROL || type == Character.FORMAT || type == Character.SURROGATE
					|| type == Character.UNASSIGNED) {
				printable.append(String.format("\\u%04x", c));
			}
			else {
				printable.appendCodePoint(c);
			}
		});
		long length = text.codePoints().count();
		return (length > max) ? printable + "...(" + length + " characters)" : printable.toString();
	}

	/** One generated request; {@code family} names the endpoint it aims at. */
	private record FuzzRequest(String family, String method, String target, List<String[]> headers, byte[] body) {

		/** A raw request, named by the method of its request line. */
		static FuzzRequest raw(String request) {
			String method = request.split("[ \r\n]", 2)[0];
			return new FuzzRequest("raw", method, "", List.of(), request.getBytes(StandardCharsets.ISO_8859_1));
		}

		/**
		 * A request line without a protocol version: HTTP/0.9, answered by a bare body.
		 */
		boolean http09() {
			String line = new String(this.body, StandardCharsets.ISO_8859_1).split("\r\n", 2)[0];
			return this.family.equals("raw") && line.split(" ").length == 2;
		}

		String raw() {
			StringBuilder raw = new StringBuilder(this.method + " " + this.target + " HTTP/1.1\r\nHost: localhost\r\n");
			this.headers.forEach((header) -> raw.append(header[0]).append(": ").append(header[1]).append("\r\n"));
			raw.append("Content-Length: ").append(this.body.length).append("\r\nConnection: close\r\n\r\n");
			return raw + new String(this.body, StandardCharsets.ISO_8859_1);
		}

		String describe() {
			if (this.family.equals("raw")) {
				return shortened(new String(this.body, StandardCharsets.ISO_8859_1), 400);
			}
			Map<String, String> shown = new LinkedHashMap<>();
			this.headers.forEach((header) -> shown.put(header[0], shortened(header[1], 120)));
			return this.method + " " + shortened(this.target, 200) + " " + shown + " body="
					+ shortened(new String(this.body, StandardCharsets.UTF_8), 300);
		}

	}

	private record Outcome(int status, String contentType, boolean server, String body) {
	}

}
