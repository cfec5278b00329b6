package dev.tokenservice.account;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

import dev.tokenservice.config.PasswordProperties;
import me.gosimple.nbvcxz.Nbvcxz;
import me.gosimple.nbvcxz.resources.ConfigurationBuilder;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Which passwords a user may choose: long enough, short enough for BCrypt, not containing
 * the username, and not common or easily guessed. No composition rules. Guessability is
 * nbvcxz's estimate against the breached-password and word lists it ships.
 *
 * @see <a href="https://pages.nist.gov/800-63-4/sp800-63b.html#password">NIST SP 800-63B
 * §3.1.1.2</a>
 */
@Component
class PasswordPolicy {

	/**
	 * About a million guesses: within reach of any list of leaked passwords and their
	 * usual variations ({@code qwerty123}, {@code P@ssw0rd}, {@code summer2024}).
	 */
	static final double MIN_ENTROPY_BITS = 20;

	/**
	 * nbvcxz's search for the likeliest split of a password into known pieces gives up
	 * after this many milliseconds and keeps the good-enough split it has. Its default of
	 * 500 is spent in full by a run of one character 32 or more long, a cheap way to take
	 * a core for half a second; at 100 the verdicts of the tests' passwords are
	 * unchanged.
	 */
	private static final long SPLIT_SEARCH_MILLIS = 100;

	static final String NOT_TEXT = "must be text: a \\uD800-\\uDFFF escape only as half of a pair";

	private final int minLength;

	/** Loaded with the dictionaries, a quarter of a second of CPU. */
	private final @Nullable PreparedAfterStart<Nbvcxz> estimator;

	PasswordPolicy(PasswordProperties properties) {
		this.minLength = properties.minLength();
		this.estimator = properties.rejectCommon() ? new PreparedAfterStart<>(PasswordPolicy::newEstimator) : null;
	}

	/**
	 * Loads the dictionaries in the background: once the service is ready, or sooner when
	 * a password is to be checked during the start-up.
	 */
	@EventListener(ApplicationReadyEvent.class)
	void prepareInBackground() {
		if (this.estimator != null) {
			this.estimator.prepareInBackground();
		}
	}

	private static Nbvcxz newEstimator() {
		return new Nbvcxz(
				new ConfigurationBuilder().setCombinationAlgorithmTimeout(SPLIT_SEARCH_MILLIS).createConfiguration());
	}

	/**
	 * Why the password is not acceptable, or empty if it is: judged as it will be hashed.
	 * The guessability estimate can cost a tenth of a second of CPU, as much as a hash,
	 * so it runs where hashing does.
	 */
	Optional<String> problemWith(String typed, String username) {
		return brokenRule(typed, username).or(() -> guessable(PasswordHasher.normalized(typed)));
	}

	/**
	 * The rules that cost next to nothing: checked with the request's other fields, so
	 * one 400 names every bad field.
	 */
	Optional<String> brokenRule(String typed, String username) {
		String password = PasswordHasher.normalized(typed);
		// JSON can escape half a character (\ud800): UTF-8 has no bytes for it, and
		// would hash every such password as the same run of "?".
		if (!StandardCharsets.UTF_8.newEncoder().canEncode(password)) {
			return Optional.of(NOT_TEXT);
		}
		if (password.codePointCount(0, password.length()) < this.minLength) {
			return Optional.of("must be at least " + this.minLength + " characters");
		}
		if (password.getBytes(StandardCharsets.UTF_8).length > PasswordProperties.MAX_BYTES) {
			return Optional.of("must be at most " + PasswordProperties.MAX_BYTES + " bytes in UTF-8");
		}
		if (!username.isEmpty() && password.toLowerCase(Locale.ROOT).contains(username.toLowerCase(Locale.ROOT))) {
			return Optional.of("must not contain the username");
		}
		return Optional.empty();
	}

	private Optional<String> guessable(String password) {
		if (this.estimator != null && this.estimator.get().estimate(password).getEntropy() < MIN_ENTROPY_BITS) {
			return Optional.of("is too common or too easy to guess: choose a longer or less predictable one, "
					+ "such as a few unrelated words");
		}
		return Optional.empty();
	}

}
