-- Throttling buckets shared by every instance (Bucket4j's PostgreSQL store); PostgreSQL only,
-- because the embedded database keeps its buckets in memory.
CREATE TABLE rate_limit_buckets (
    id         VARCHAR(255) PRIMARY KEY,
    state      BYTEA,
    expires_at BIGINT
);
CREATE INDEX ix_rate_limit_buckets_expires_at ON rate_limit_buckets (expires_at);
