package dev.tokenservice.account;

import java.util.List;

/** What a user may do. Every user has the {@code user} role; admins have both. */
public enum Role {

	USER, ADMIN;

	/** The role names as API responses show them. */
	List<String> names() {
		return (this == ADMIN) ? List.of("user", "admin") : List.of("user");
	}

}
