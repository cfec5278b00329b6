package dev.tokenservice.throttle;

/**
 * A login admitted by the {@link Throttle}. It counts as a failure unless
 * {@link #wasNoGuess()} says otherwise, so concurrent guesses can never exceed the limit.
 */
@FunctionalInterface
public interface LoginAttempt {

	/** The password was right (or never checked): give back what the attempt took. */
	void wasNoGuess();

}
