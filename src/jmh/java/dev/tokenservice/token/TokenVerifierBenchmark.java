package dev.tokenservice.token;

import java.util.Optional;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * What a token check costs without HTTP, over tokens of many users: reading the token
 * (remembered after its first check) plus the holder and revocation state, which
 * {@code GET /token_status} may take from the last half-second ({@code check}) and an
 * authenticated request reads from the embedded database ({@code verify}).
 */
@State(Scope.Thread)
public class TokenVerifierBenchmark {

	private int turn;

	@Benchmark
	public Optional<VerifiedToken> check(RunningService service) {
		return service.verifier.check(service.token(this.turn++));
	}

	@Benchmark
	public Optional<VerifiedToken> verify(RunningService service) {
		return service.verifier.verify(service.token(this.turn++));
	}

}
