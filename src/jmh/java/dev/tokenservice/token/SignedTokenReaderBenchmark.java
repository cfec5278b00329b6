package dev.tokenservice.token;

import java.util.Optional;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The database-free part of every token check: a valid token read for the first time (RFC
 * 8725 form checks, parsing, the HMAC), read again (the reader remembers good tokens),
 * and a tampered one.
 */
@State(Scope.Thread)
public class SignedTokenReaderBenchmark {

	private int turn;

	@Benchmark
	public Optional<SignedToken> readNew(RunningService service, NewToken token) {
		return service.reader.read(token.value);
	}

	@Benchmark
	public Optional<SignedToken> readAgain(RunningService service) {
		return service.reader.read(service.token(this.turn++));
	}

	@Benchmark
	public Optional<SignedToken> readTampered(RunningService service) {
		return service.reader.read(service.tampered(this.turn++));
	}

	/** A token never read before, signed outside the measured time before each call. */
	@State(Scope.Thread)
	public static class NewToken {

		private int turn;

		String value;

		@Setup(Level.Invocation)
		public void issue(RunningService service) {
			this.value = service.issuer.issue(service.holder(this.turn++)).value();
		}

	}

}
