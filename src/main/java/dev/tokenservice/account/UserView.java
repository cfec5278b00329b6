package dev.tokenservice.account;

import java.time.Instant;
import java.util.List;

/** A user as the account endpoints show it: never the password hash. */
record UserView(long userId, String username, String email, boolean enabled, List<String> roles, Instant createdAt) {

	static UserView of(UserAccount user) {
		return new UserView(user.getId(), user.getUsername(), user.getEmail(), user.isEnabled(), user.getRole().names(),
				user.getCreatedAt());
	}

}
