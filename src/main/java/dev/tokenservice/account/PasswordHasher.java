package dev.tokenservice.account;

import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.UUID;

import dev.tokenservice.config.InvalidConfigurationException;
import dev.tokenservice.config.PasswordProperties;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;

/**
 * The only place a plain password is used: BCrypt at the configured cost, or Argon2id.
 * Stored hashes describe themselves ({@code $2a$...}, {@code $argon2id$...}), so both
 * kinds verify whichever is configured. Every comparison costs a full hash, even for an
 * unknown user, so response times do not reveal which usernames exist (a password that
 * NFKC normalization changes costs a second one, whoever the user). Requests call it on
 * the {@link HashingQueue}'s threads, which bound how many hashes run at once.
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

	/** Compared against for an unknown user. */
	private final PreparedAfterStart<String> dummyHash;

	PasswordHasher(PasswordProperties properties) {
		this.bcrypt = new BCryptPasswordEncoder(properties.bcryptCost());
		PasswordProperties.Argon2 cost = properties.argon2();
		this.argon2 = new Argon2PasswordEncoder(SALT_BYTES, HASH_BYTES, cost.parallelism(), cost.memoryKib(),
				cost.iterations());
		boolean argon2id = properties.algorithm() == PasswordProperties.Algorithm.ARGON2ID;
		if (argon2id) {
			requireHeapFor(cost.memoryKib());
		}
		this.configured = argon2id ? this.argon2 : this.bcrypt;
		this.dummyHash = new PreparedAfterStart<>(() -> this.configured.encode(UUID.randomUUID().toString()));
	}

	/**
	 * Each hashing thread holds one hash's memory at a time, in the heap: together at
	 * most half of it, or logins end in OutOfMemoryError.
	 */
	private static void requireHeapFor(int memoryKib) {
		int threads = HashingQueue.threadCount();
		long heapMib = Runtime.getRuntime().maxMemory() / (1024 * 1024);
		if ((long) memoryKib * threads / 1024 > heapMib / 2) {
			throw new InvalidConfigurationException("password.argon2.memory_kib",
					"needs " + memoryKib / 1024 + " MiB of heap for each of " + threads
							+ " hashing threads, more than half the heap (" + heapMib
							+ " MiB): lower it, or raise the heap (-Xmx)");
		}
	}

	@EventListener(ApplicationReadyEvent.class)
	void prepareDummyHash() {
		this.dummyHash.prepareInBackground();
	}

	/**
	 * NIST SP 800-63B's normalization (NFKC): the same password typed on another system,
	 * its "é" one character or two, its digits fullwidth, is the same password.
	 */
	static String normalized(String password) {
		return Normalizer.normalize(password, Normalizer.Form.NFKC);
	}

	String hash(String password) {
		return this.configured.encode(normalized(password));
	}

	/**
	 * A new hash of a password {@link #matches} accepted, moving it to the configured
	 * algorithm: of its normalized form, or as typed when only that fits 72 bytes (a hash
	 * from before normalization, of a password such as "½½½…" that NFKC makes longer).
	 */
	String rehash(String password) {
		String normalized = normalized(password);
		return this.configured.encode(fitsBcrypt(normalized) ? normalized : password);
	}

	boolean matches(String password, @Nullable String storedHash) {
		String normalized = normalized(password);
		// Hashes made before passwords were normalized hold them as typed.
		return compare(normalized, storedHash) || (!normalized.equals(password) && compare(password, storedHash));
	}

	private boolean compare(String password, @Nullable String storedHash) {
		String hash = (storedHash != null) ? storedHash : this.dummyHash.get();
		PasswordEncoder encoder = encoderOf(hash);
		// Argon2 takes any length: earlier logins stored the too-long normalized form.
		boolean hashable = (encoder == this.argon2) ? !password.isEmpty() : fitsBcrypt(password);
		boolean matched = encoder.matches(hashable ? password : FILLER, hash);
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

	private static boolean fitsBcrypt(String password) {
		return !password.isEmpty() && password.getBytes(StandardCharsets.UTF_8).length <= PasswordProperties.MAX_BYTES;
	}

}
