package dev.tokenservice.token;

import java.time.Instant;

/** The body of {@code GET /token_status} for a valid token. */
record TokenStatusResponse(String message, long userId, String username, Instant expiresAt, long expiresIn) {
}
