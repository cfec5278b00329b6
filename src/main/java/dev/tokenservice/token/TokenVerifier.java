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
	 * revoked, and its holder exists, is enabled and has not moved past its version.
	 */
	public Optional<VerifiedToken> verify(String token) {
		Optional<VerifiedToken> verified = this.reader.read(token).flatMap(this::currentHolder);
		(verified.isPresent() ? this.valid : this.invalid).increment();
		return verified;
	}

	private Optional<VerifiedToken> currentHolder(SignedToken token) {
		return this.state.unrevokedHolder(token)
			.filter(TokenHolder::enabled)
			.filter((holder) -> holder.tokenVersion() == token.version())
			.map((holder) -> new VerifiedToken(holder, token.jti(), token.issuedAt(), token.expiresAt()));
	}

}
