package dev.tokenservice.security;

import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * The authorities a caller can hold: a user's roles, or being an introspection client.
 */
final class Authorities {

	static final SimpleGrantedAuthority USER = new SimpleGrantedAuthority("ROLE_USER");

	static final SimpleGrantedAuthority ADMIN = new SimpleGrantedAuthority("ROLE_ADMIN");

	static final SimpleGrantedAuthority INTROSPECTION_CLIENT = new SimpleGrantedAuthority("INTROSPECTION_CLIENT");

	private Authorities() {
	}

}
