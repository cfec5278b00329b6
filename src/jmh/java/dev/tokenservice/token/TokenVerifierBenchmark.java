package dev.tokenservice.token;

import java.util.Optional;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * What {@code GET /token_status} costs without HTTP: reading the token (remembered after
 * its first check) plus the holder and revocation lookup in the embedded database, over
 * tokens of many users.
 */
@State(Scope.Thread)
public class TokenVerifierBenchmark {

	private int turn;

	@Benchmark
	public Optional<VerifiedToken> verify(RunningService service) {
		return service.verifier.verify(service.token(this.turn++));
	}

}
