package dev.tokenservice.account;

/**
 * Published when tokens of a user may have changed validity: the user was disabled,
 * enabled or deleted, changed password, logged out everywhere, or had a token revoked.
 * Whoever remembers token checks hears it once the change is committed.
 */
public record TokenValidityChanged(long userId) {

}
