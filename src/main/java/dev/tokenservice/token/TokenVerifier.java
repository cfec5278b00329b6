package dev.tokenservice.token;

import java.time.Clock;
import java.util.Date;
import java.util.Optional;
import java.util.regex.Pattern;

import dev.tokenservice.account.AccountService;
import dev.tokenservice.account.TokenHolder;
import dev.tokenservice.config.JwtProperties;
import io.jsonwebtoken.Claims;
import io.jsonwebtoken.JwtException;
import io.jsonwebtoken.JwtParser;
import io.jsonwebtoken.Jwts;

import org.springframework.stereotype.Component;

/**
 * Decides whether a token is valid: canonical compact form, signature with the configured
 * key and algorithm only (never the token's {@code alg}), {@code exp} in the future, the
 * configured {@code iss}, a {@code jti} that was not revoked, and a holder who still
 * exists, is enabled and has not moved past the token's {@code ver}.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8725#section-3.1">RFC 8725 §3.1</a>
 */
@Component
public class TokenVerifier {

	static final int MAX_TOKEN_LENGTH = 8192;

	/** Three unpadded base64url parts: no '+', '/', '=' or whitespace (RFC 7515 §7.1). */
	private static final Pattern COMPACT_JWS = Pattern.compile("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");

	/** A positive user id that fits a {@code long}: 18 digits at most. */
	private static final Pattern SUBJECT = Pattern.compile("[1-9][0-9]{0,17}");

	private final JwtParser parser;

	private final AccountService accounts;

	private final TokenRevocations revocations;

	TokenVerifier(SigningKey signingKey, Clock clock, JwtProperties jwt, AccountService accounts,
			TokenRevocations revocations) {
		this.parser = Jwts.parser()
			.sig()
			.clear()
			.add(signingKey.algorithm())
			.and()
			.verifyWith(signingKey.key())
			.requireIssuer(jwt.issuer())
			.clock(() -> Date.from(clock.instant()))
			.build();
		this.accounts = accounts;
		this.revocations = revocations;
	}

	/**
	 * The token's holder and claims if the token is valid now: signed, unexpired, not
	 * revoked, and its holder exists, is enabled and has not moved past its version.
	 */
	public Optional<VerifiedToken> verify(String token) {
		return readSigned(token).flatMap(this::currentHolder);
	}

	/**
	 * The token's claims if its form, signature, issuer and expiry are right, whatever
	 * its holder's state.
	 */
	Optional<SignedToken> readSigned(String token) {
		if (token == null || token.length() > MAX_TOKEN_LENGTH || !COMPACT_JWS.matcher(token).matches()) {
			return Optional.empty();
		}
		try {
			Claims claims = this.parser.parseSignedClaims(token).getPayload();
			return hasRequiredClaims(claims) ? Optional.of(signedToken(claims)) : Optional.empty();
		}
		catch (JwtException | IllegalArgumentException ex) {
			return Optional.empty();
		}
	}

	private static boolean hasRequiredClaims(Claims claims) {
		return claims.getExpiration() != null && claims.getIssuedAt() != null && claims.getId() != null
				&& claims.getSubject() != null && SUBJECT.matcher(claims.getSubject()).matches()
				&& isWholeNumber(claims.get(TokenIssuer.VERSION_CLAIM));
	}

	private static boolean isWholeNumber(Object value) {
		return value instanceof Integer || value instanceof Long;
	}

	private static SignedToken signedToken(Claims claims) {
		return new SignedToken(Long.parseLong(claims.getSubject()), claims.getId(),
				((Number) claims.get(TokenIssuer.VERSION_CLAIM)).longValue(), claims.getIssuedAt().toInstant(),
				claims.getExpiration().toInstant());
	}

	private Optional<VerifiedToken> currentHolder(SignedToken token) {
		return this.accounts.findTokenHolder(token.userId())
			.filter(TokenHolder::enabled)
			.filter((holder) -> holder.tokenVersion() == token.version())
			.filter((holder) -> !this.revocations.isRevoked(token.jti()))
			.map((holder) -> new VerifiedToken(holder, token.jti(), token.issuedAt(), token.expiresAt()));
	}

}
