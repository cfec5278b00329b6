package dev.tokenservice.token;

import java.time.Instant;

/**
 * What a valid token says about its holder, after the holder's current state was checked.
 */
public record VerifiedToken(long userId, String username, String jti, Instant issuedAt, Instant expiresAt) {
}
