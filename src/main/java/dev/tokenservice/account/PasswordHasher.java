package dev.tokenservice.account;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import dev.tokenservice.config.PasswordProperties;
import org.jspecify.annotations.Nullable;

import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;

/**
 * The only place a plain password is used: BCrypt at the configured cost, or Argon2id.
 * Stored hashes describe themselves ({@code $2a$...}, {@code $argon2id$...}), so both
 * kinds verify whichever is configured. Every comparison costs one full hash, even for an
 * unknown user, so response times do not reveal which usernames exist. At most one hash
 * per core runs at a time; the other requests wait their turn in a fair queue, so a login
 * storm cannot starve the cheap endpoints of CPU. The queue has room for
 * {@code password.hashing_queue} requests: each waits on a request thread, and a flood
 * that held them all would starve the cheap endpoints of threads instead.
 */
@Component
class PasswordHasher {

	/**
	 * Compared instead of a password BCrypt cannot take, to keep the time of the
	 * comparison.
	 */
	private static final String FILLER = "not-a-password";

	/** Argon2id salt and output sizes as Spring Security and OWASP recommend. */
	private static final int SALT_BYTES = 16;

	private static final int HASH_BYTES = 32;

	private static final String ARGON2_PREFIX = "$argon2";

	private final BCryptPasswordEncoder bcrypt;

	private final Argon2PasswordEncoder argon2;

	private final PasswordEncoder configured;

	/** Made beside the rest of the start-up rather than adding a hash's time to it. */
	private final CompletableFuture<String> dummyHash;

	/** One per core: the hashes running. */
	private final Semaphore slots;

	/** The requests hashing or waiting to: the slots and the queue. */
	private final Semaphore places;

	private final Duration timeout;

	PasswordHasher(PasswordProperties properties) {
		this.bcrypt = new BCryptPasswordEncoder(properties.bcryptCost());
		PasswordProperties.Argon2 cost = properties.argon2();
		this.argon2 = new Argon2PasswordEncoder(SALT_BYTES, HASH_BYTES, cost.parallelism(), cost.memoryKib(),
				cost.iterations());
		this.configured = (properties.algorithm() == PasswordProperties.Algorithm.ARGON2ID) ? this.argon2 : this.bcrypt;
		this.dummyHash = CompletableFuture.supplyAsync(() -> this.configured.encode(UUID.randomUUID().toString()));
		this.timeout = properties.hashingTimeout();
		int cores = Runtime.getRuntime().availableProcessors();
		this.slots = new Semaphore(cores, true);
		this.places = new Semaphore(cores + properties.hashingQueue());
	}

	String hash(String password) {
		return inSlot(() -> this.configured.encode(password));
	}

	boolean matches(String password, @Nullable String storedHash) {
		boolean hashable = fitsBcrypt(password);
		String hash = (storedHash != null) ? storedHash : this.dummyHash.join();
		boolean matched = inSlot(() -> encoderOf(hash).matches(hashable ? password : FILLER, hash));
		return hashable && storedHash != null && matched;
	}

	/**
	 * Whether the hash was made by the other algorithm, or at a lower cost than the
	 * configured one.
	 */
	boolean needsUpgrade(String storedHash) {
		PasswordEncoder encoder = encoderOf(storedHash);
		return encoder != this.configured || encoder.upgradeEncoding(storedHash);
	}

	private PasswordEncoder encoderOf(String hash) {
		return hash.startsWith(ARGON2_PREFIX) ? this.argon2 : this.bcrypt;
	}

	private <T> T inSlot(Supplier<T> work) {
		if (!this.places.tryAcquire()) {
			throw HashingBusyException.queueFull();
		}
		try {
			return inSlotOnceQueued(work);
		}
		finally {
			this.places.release();
		}
	}

	private <T> T inSlotOnceQueued(Supplier<T> work) {
		try {
			if (!this.slots.tryAcquire(this.timeout.toMillis(), TimeUnit.MILLISECONDS)) {
				throw HashingBusyException.waitedTooLong();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw HashingBusyException.waitedTooLong();
		}
		try {
			return work.get();
		}
		finally {
			this.slots.release();
		}
	}

	private static boolean fitsBcrypt(String password) {
		return !password.isEmpty() && password.getBytes(StandardCharsets.UTF_8).length <= PasswordProperties.MAX_BYTES;
	}

}
