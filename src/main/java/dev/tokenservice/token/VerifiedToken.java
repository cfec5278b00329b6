package dev.tokenservice.token;

import java.time.Instant;

import dev.tokenservice.account.TokenHolder;

/**
 * What a valid token says about its holder, after the holder's current state was checked.
 */
public record VerifiedToken(TokenHolder holder, String jti, Instant issuedAt, Instant expiresAt) {
}
