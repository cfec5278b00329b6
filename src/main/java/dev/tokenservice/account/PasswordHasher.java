package dev.tokenservice.account;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import dev.tokenservice.config.PasswordProperties;
import org.jspecify.annotations.Nullable;

import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.stereotype.Component;

/**
 * The only place a plain password is used: BCrypt at the configured cost. Every
 * comparison costs one full BCrypt run, even for an unknown user, so response times do
 * not reveal which usernames exist. At most one hash per core runs at a time; the other
 * requests wait their turn in a fair queue, so a login storm cannot starve the cheap
 * endpoints of CPU.
 */
@Component
class PasswordHasher {

	/**
	 * Compared instead of a password BCrypt cannot take, to keep the time of the
	 * comparison.
	 */
	private static final String FILLER = "not-a-password";

	private final BCryptPasswordEncoder encoder;

	private final String dummyHash;

	private final Semaphore slots = new Semaphore(Runtime.getRuntime().availableProcessors(), true);

	private final Duration timeout;

	PasswordHasher(PasswordProperties properties) {
		this.encoder = new BCryptPasswordEncoder(properties.bcryptCost());
		this.dummyHash = this.encoder.encode(UUID.randomUUID().toString());
		this.timeout = properties.hashingTimeout();
	}

	String hash(String password) {
		return inSlot(() -> this.encoder.encode(password));
	}

	boolean matches(String password, @Nullable String storedHash) {
		boolean hashable = fitsBcrypt(password);
		boolean matched = inSlot(() -> this.encoder.matches(hashable ? password : FILLER,
				(storedHash != null) ? storedHash : this.dummyHash));
		return hashable && storedHash != null && matched;
	}

	/** Whether the hash was made at a lower cost than the configured one. */
	boolean needsUpgrade(String storedHash) {
		return this.encoder.upgradeEncoding(storedHash);
	}

	private <T> T inSlot(Supplier<T> work) {
		try {
			if (!this.slots.tryAcquire(this.timeout.toMillis(), TimeUnit.MILLISECONDS)) {
				throw new HashingBusyException();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new HashingBusyException();
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
