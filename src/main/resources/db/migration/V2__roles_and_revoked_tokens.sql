-- Portable SQL: the same migration runs on the embedded H2 database and on PostgreSQL.
ALTER TABLE users ADD COLUMN role VARCHAR(16) DEFAULT 'USER' NOT NULL;

-- A revoked token's id until the token would have expired anyway; then the row is purged.
CREATE TABLE revoked_tokens (
    jti        VARCHAR(64) PRIMARY KEY,
    user_id    BIGINT      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    expires_at TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX ix_revoked_tokens_expires_at ON revoked_tokens (expires_at);
CREATE INDEX ix_revoked_tokens_user_id ON revoked_tokens (user_id);
