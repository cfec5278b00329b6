package dev.tokenservice.support;

import java.net.http.HttpResponse;
import java.util.Optional;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One HTTP response as a test sees it: status, headers and the body, parsed as JSON when
 * it is JSON.
 */
public record Reply(int status, java.net.http.HttpHeaders headers, String body) {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	static Reply of(HttpResponse<String> response) {
		return new Reply(response.statusCode(), response.headers(), response.body());
	}

	public JsonNode json() {
		return JSON.readTree(this.body);
	}

	public String text(String field) {
		return json().get(field).asString();
	}

	public long number(String field) {
		return json().get(field).asLong();
	}

	public Optional<String> header(String name) {
		return this.headers.firstValue(name);
	}

	public boolean isJson() {
		return header("Content-Type").map((type) -> type.startsWith("application/json")).orElse(false);
	}

	@Override
	public String toString() {
		return this.status + " " + this.body;
	}

}
