package dev.tokenservice.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.stream.Collectors;

import tools.jackson.databind.json.JsonMapper;

/**
 * A client for the running service, speaking plain HTTP the way the service's users do.
 */
public final class Api {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final int port;

	public Api(int port) {
		this.port = port;
	}

	public int port() {
		return this.port;
	}

	public Reply postJson(String path, Object body) {
		String json = (body instanceof String text) ? text : JSON.writeValueAsString(body);
		return post(path, "application/json", json);
	}

	public Reply postForm(String path, String formBody) {
		return post(path, "application/x-www-form-urlencoded", formBody);
	}

	public Reply post(String path, String contentType, String body) {
		return send(request(path).header("Content-Type", contentType).POST(BodyPublishers.ofString(body)));
	}

	public Reply get(String path, String... headerNamesAndValues) {
		HttpRequest.Builder request = request(path).GET();
		for (int i = 0; i < headerNamesAndValues.length; i += 2) {
			request.header(headerNamesAndValues[i], headerNamesAndValues[i + 1]);
		}
		return send(request);
	}

	public Reply send(String method, String path, String contentType, String body) {
		return send(request(path).header("Content-Type", contentType).method(method, BodyPublishers.ofString(body)));
	}

	/**
	 * A request with an {@code Authorization} header (none when {@code authorization} is
	 * null) and an optional body.
	 */
	public Reply authorized(String method, String path, String authorization, String contentType, String body) {
		HttpRequest.Builder request = request(path).method(method,
				(body != null) ? BodyPublishers.ofString(body) : BodyPublishers.noBody());
		if (authorization != null) {
			request.header("Authorization", authorization);
		}
		if (contentType != null) {
			request.header("Content-Type", contentType);
		}
		return send(request);
	}

	/** A request without a body, authenticated by this bearer token. */
	public Reply withToken(String method, String path, String token) {
		return authorized(method, path, bearer(token), null, null);
	}

	public Reply postJson(String path, Object body, String token) {
		String json = (body instanceof String text) ? text : JSON.writeValueAsString(body);
		return authorized("POST", path, bearer(token), "application/json", json);
	}

	public Reply postForm(String path, String formBody, String authorization) {
		return authorized("POST", path, authorization, "application/x-www-form-urlencoded", formBody);
	}

	public static String bearer(String token) {
		return "Bearer " + token;
	}

	public static String basic(String id, String secret) {
		return "Basic " + Base64.getEncoder().encodeToString((id + ":" + secret).getBytes(StandardCharsets.UTF_8));
	}

	public Reply register(String username, String password, String email) {
		return postJson("/register-user", Map.of("username", username, "password", password, "email", email));
	}

	public Reply token(String username, String password) {
		return postJson("/token", Map.of("username", username, "password", password));
	}

	/** Logs in and returns the token, failing the test if login does not succeed. */
	public String tokenFor(String username, String password) {
		Reply reply = token(username, password);
		if (reply.status() != 200) {
			throw new AssertionError("Login of " + username + " failed: " + reply);
		}
		return reply.text("token");
	}

	public Reply tokenStatus(String token) {
		return get("/token_status/" + token);
	}

	public static String form(Map<String, String> fields) {
		return fields.entrySet()
			.stream()
			.map((field) -> encode(field.getKey()) + "=" + encode(field.getValue()))
			.collect(Collectors.joining("&"));
	}

	private static String encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

	/**
	 * Sends bytes exactly as given, for requests no well-behaved client library would
	 * build (a broken request line, bad percent-encoding, chunked bodies), and returns
	 * the raw response.
	 */
	public String raw(String request) {
		try (Socket socket = new Socket("127.0.0.1", this.port)) {
			socket.setSoTimeout(10_000);
			OutputStream out = socket.getOutputStream();
			out.write(request.getBytes(StandardCharsets.ISO_8859_1));
			out.flush();
			socket.shutdownOutput();
			InputStream in = socket.getInputStream();
			return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private HttpRequest.Builder request(String path) {
		return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
			.timeout(Duration.ofSeconds(30));
	}

	private Reply send(HttpRequest.Builder request) {
		try {
			return Reply.of(this.client.send(request.build(), BodyHandlers.ofString()));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
