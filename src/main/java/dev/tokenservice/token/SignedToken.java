package dev.tokenservice.token;

import java.time.Instant;

/**
 * A token whose signature, issuer and expiry check out, before its holder's current state
 * is looked at.
 */
record SignedToken(long userId, String jti, long version, Instant issuedAt, Instant expiresAt) {
}
