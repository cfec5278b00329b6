package dev.tokenservice.support;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Users for tests. Every call gives a new username, so tests sharing one server and
 * database never see each other's users.
 */
public final class TestUsers {

	public static final String PASSWORD = "Sun-Orchard-8142-Quill";

	private static final AtomicInteger sequence = new AtomicInteger();

	private TestUsers() {
	}

	public static String uniqueName(String base) {
		return base + "-" + ProcessHandle.current().pid() + "-" + sequence.incrementAndGet();
	}

	public static String emailOf(String username) {
		return username + "@example.com";
	}

	/** Registers a fresh user with {@link #PASSWORD} and returns their username. */
	public static String registered(Api api, String base) {
		String username = uniqueName(base);
		Reply reply = api.register(username, PASSWORD, emailOf(username));
		if (reply.status() != 201) {
			throw new AssertionError("Registration of " + username + " failed: " + reply);
		}
		return username;
	}

}
