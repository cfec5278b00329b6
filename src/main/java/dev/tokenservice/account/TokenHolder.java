package dev.tokenservice.account;

/**
 * The part of a user that decides whether their tokens are good: existence, the enabled
 * flag and the token version that a password change or log-out-everywhere raises.
 */
public record TokenHolder(long userId, String username, boolean enabled, long tokenVersion) {
}
