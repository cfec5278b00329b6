package dev.tokenservice.token;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A revoked token's id, kept until the token would have expired anyway. */
@Entity
@Table(name = "revoked_tokens")
class RevokedToken {

	/** The widest token id a record holds (V2 migration). */
	static final int MAX_JTI_LENGTH = 64;

	@Id
	@Column(length = MAX_JTI_LENGTH)
	private String jti;

	@Column(name = "user_id", nullable = false)
	private long userId;

	@Column(name = "expires_at", nullable = false)
	private Instant expiresAt;

	protected RevokedToken() {
	}

	RevokedToken(String jti, long userId, Instant expiresAt) {
		this.jti = jti;
		this.userId = userId;
		this.expiresAt = expiresAt;
	}

	@Override
	public String toString() {
		return "RevokedToken[userId=" + this.userId + ", expiresAt=" + this.expiresAt + "]";
	}

}
