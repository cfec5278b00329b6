package dev.tokenservice.account;

import org.springframework.security.access.AccessDeniedException;

/**
 * The part of a user that decides whether their tokens are good and what they may do:
 * existence, the enabled flag, the role, and the token version that a password change or
 * log-out-everywhere raises.
 */
public record TokenHolder(long userId, String username, boolean enabled, Role role, long tokenVersion) {

	public boolean isAdmin() {
		return this.role == Role.ADMIN;
	}

	/**
	 * Refuses (403) unless this holder may act on the account {@code userId}: their own,
	 * or any as admin.
	 */
	void requireMayActOn(long userId) {
		if (this.userId != userId && !isAdmin()) {
			throw new AccessDeniedException("Not the caller's own account");
		}
	}

}
