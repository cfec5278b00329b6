package dev.tokenservice.throttle;

import java.util.concurrent.TimeUnit;

import io.github.bucket4j.distributed.proxy.ExpiredEntriesCleaner;
import io.github.bucket4j.distributed.proxy.ProxyManager;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Deletes the database rows of buckets that are full again, so the table holds only the
 * keys that are being limited right now. (The in-memory store forgets them by itself.)
 */
@Component
class ExpiredBucketCleaner {

	private static final int BATCH = 1000;

	private final ProxyManager<String> buckets;

	ExpiredBucketCleaner(ProxyManager<String> buckets) {
		this.buckets = buckets;
	}

	@Scheduled(fixedDelay = 1, initialDelay = 1, timeUnit = TimeUnit.MINUTES)
	void removeExpired() {
		if (this.buckets instanceof ExpiredEntriesCleaner cleaner) {
			while (cleaner.removeExpired(BATCH) == BATCH) {
				// Another full batch may follow.
			}
		}
	}

}
