package dev.tokenservice.account;

import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

/**
 * Seeds users through {@link AccountService}'s own create path, which is package-private,
 * and logs each in, for the token benchmarks in another package.
 */
public final class BenchmarkUsers {

	private BenchmarkUsers() {
	}

	/** The holder of each new user, as a successful login returns it. */
	public static List<TokenHolder> create(AccountService accounts, int count) {
		return IntStream.rangeClosed(1, count).mapToObj((i) -> {
			String username = "jmh-user-" + i;
			String password = UUID.randomUUID().toString();
			accounts.create(username, username + "@example.com", password, Role.USER);
			return accounts.authenticate(new Credentials(username, password), "127.0.0.1").join();
		}).toList();
	}

}
