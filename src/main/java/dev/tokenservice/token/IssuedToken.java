package dev.tokenservice.token;

import java.time.Instant;

/** A freshly signed token and the instants it was issued at and expires at. */
public record IssuedToken(String value, Instant issuedAt, Instant expiresAt) {

	@Override
	public String toString() {
		return "IssuedToken[issuedAt=" + this.issuedAt + ", expiresAt=" + this.expiresAt + "]";
	}

}
