package dev.tokenservice.throttle;

import java.time.Duration;

import javax.sql.DataSource;

import com.github.benmanes.caffeine.cache.Caffeine;
import dev.tokenservice.config.DatabaseProperties;
import dev.tokenservice.config.InvalidConfigurationException;
import dev.tokenservice.config.LimitsProperties;
import dev.tokenservice.config.LimitsProperties.Store;
import io.github.bucket4j.caffeine.Bucket4jCaffeine;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.jdbc.PrimaryKeyMapper;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Where the throttling buckets live: in this process's memory (bounded, and forgotten
 * once full again), or in a PostgreSQL table that every instance sharing the database
 * reads, so limits hold across instances.
 */
@Configuration(proxyBeanMethods = false)
class BucketStoreConfiguration {

	/** Enough for every address of a busy day; the least recently used are dropped. */
	private static final long MAX_BUCKETS_IN_MEMORY = 100_000;

	/** A bucket is dropped once it has been full (unused) for this long. */
	private static final ExpirationAfterWriteStrategy DROP_WHEN_FULL = ExpirationAfterWriteStrategy
		.basedOnTimeForRefillingBucketUpToMax(Duration.ofSeconds(10));

	@Bean
	ProxyManager<String> bucketStore(LimitsProperties limits, DatabaseProperties database, DataSource dataSource) {
		boolean postgres = database.isPostgres();
		if (limits.store() == Store.DATABASE && !postgres) {
			throw new InvalidConfigurationException("limits.store",
					"database needs PostgreSQL; use memory (or auto) with the embedded database");
		}
		if (limits.store() == Store.MEMORY || !postgres) {
			return Bucket4jCaffeine.<String>builderFor(Caffeine.newBuilder().maximumSize(MAX_BUCKETS_IN_MEMORY))
				.expirationAfterWrite(DROP_WHEN_FULL)
				.build();
		}
		return Bucket4jPostgreSQL.selectForUpdateBasedBuilder(dataSource)
			.primaryKeyMapper(PrimaryKeyMapper.STRING)
			.table("rate_limit_buckets")
			.expirationAfterWrite(DROP_WHEN_FULL)
			.build();
	}

}
