package dev.tokenservice.token;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/** Signing an HS256 token, as {@code POST /token} does once the password matched. */
@State(Scope.Thread)
public class TokenIssuerBenchmark {

	private int turn;

	@Benchmark
	public IssuedToken issue(RunningService service) {
		return service.issuer.issue(service.holder(this.turn++));
	}

}
