package dev.tokenservice.token;

import java.util.Optional;

import dev.tokenservice.account.AccountService;
import dev.tokenservice.account.TokenHolder;

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

	private final SignedTokenReader reader;

	private final AccountService accounts;

	private final TokenRevocations revocations;

	TokenVerifier(SignedTokenReader reader, AccountService accounts, TokenRevocations revocations) {
		this.reader = reader;
		this.accounts = accounts;
		this.revocations = revocations;
	}

	/**
	 * The token's holder and claims if the token is valid now: signed, unexpired, not
	 * revoked, and its holder exists, is enabled and has not moved past its version.
	 */
	public Optional<VerifiedToken> verify(String token) {
		return this.reader.read(token).flatMap(this::currentHolder);
	}

	private Optional<VerifiedToken> currentHolder(SignedToken token) {
		return this.accounts.findTokenHolder(token.userId())
			.filter(TokenHolder::enabled)
			.filter((holder) -> holder.tokenVersion() == token.version())
			.filter((holder) -> !this.revocations.isRevoked(token.jti()))
			.map((holder) -> new VerifiedToken(holder, token.jti(), token.issuedAt(), token.expiresAt()));
	}

}
