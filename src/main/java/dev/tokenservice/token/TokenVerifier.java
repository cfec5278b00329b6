package dev.tokenservice.token;

import java.util.Optional;

import dev.tokenservice.account.TokenHolder;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.stereotype.Component;

/**
 * Decides whether a token is valid: strictly read and signed ({@link SignedTokenReader}),
 * a {@code jti} that was not revoked, and a holder who still exists, is enabled and has
 * not moved past the token's {@code ver}.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8725">RFC 8725</a>
 */
@Component
public class TokenVerifier {

	private static final String VALIDATIONS = "tokenservice.token.validations";

	private final SignedTokenReader reader;

	private final TokenStateQuery state;

	private final Counter valid;

	private final Counter invalid;

	TokenVerifier(SignedTokenReader reader, TokenStateQuery state, MeterRegistry meters) {
		this.reader = reader;
		this.state = state;
		this.valid = meters.counter(VALIDATIONS, "outcome", "valid");
		this.invalid = meters.counter(VALIDATIONS, "outcome", "invalid");
	}

	/**
	 * The token's holder and claims if the token is valid now: signed, unexpired, not
	 * revoked, and its holder exists, is enabled and has not moved past its version. The
	 * holder's state and rights are read from the database: for authenticating requests.
	 */
	public Optional<VerifiedToken> verify(String token) {
		return counted(this.reader.read(token).flatMap((read) -> valid(read, this.state.unrevokedHolder(read))));
	}

	/**
	 * The same decision for a client asking about a token ({@code /token_status},
	 * {@code /introspect}), where the holder's state may come from a check of the last
	 * half-second: changes made through this instance are honoured at once, others within
	 * {@link TokenStateQuery#REMEMBERED_FOR}.
	 */
	public Optional<VerifiedToken> check(String token) {
		return counted(this.reader.read(token).flatMap((read) -> valid(read, this.state.recentUnrevokedHolder(read))));
	}

	private Optional<VerifiedToken> counted(Optional<VerifiedToken> verified) {
		(verified.isPresent() ? this.valid : this.invalid).increment();
		return verified;
	}

	private static Optional<VerifiedToken> valid(SignedToken token, Optional<TokenHolder> holder) {
		return holder.filter(TokenHolder::enabled)
			.filter((current) -> current.tokenVersion() == token.version())
			.map((current) -> new VerifiedToken(current, token.jti(), token.issuedAt(), token.expiresAt()));
	}

}
