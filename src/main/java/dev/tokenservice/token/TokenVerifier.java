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
 * configured {@code iss}, and a holder who still exists, is enabled and has not moved
 * past the token's {@code ver}.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8725#section-3.1">RFC 8725 §3.1</a>
 */
@Component
public class TokenVerifier {

	static final int MAX_TOKEN_LENGTH = 8192;

	/** Three unpadded base64url parts: no '+', '/', '=' or whitespace (RFC 7515 §7.1). */
	private static final Pattern COMPACT_JWS = Pattern.compile("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");

	private final JwtParser parser;

	private final AccountService accounts;

	TokenVerifier(SigningKey signingKey, Clock clock, JwtProperties jwt, AccountService accounts) {
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
	}

	public Optional<VerifiedToken> verify(String token) {
		if (token == null || token.length() > MAX_TOKEN_LENGTH || !COMPACT_JWS.matcher(token).matches()) {
			return Optional.empty();
		}
		return parse(token).flatMap(this::currentHolder);
	}

	private Optional<Claims> parse(String token) {
		try {
			Claims claims = this.parser.parseSignedClaims(token).getPayload();
			return hasRequiredClaims(claims) ? Optional.of(claims) : Optional.empty();
		}
		catch (JwtException | IllegalArgumentException ex) {
			return Optional.empty();
		}
	}

	private static boolean hasRequiredClaims(Claims claims) {
		return claims.getExpiration() != null && claims.getIssuedAt() != null && claims.getId() != null
				&& claims.getSubject() != null && claims.getSubject().matches("[1-9][0-9]{0,18}")
				&& isWholeNumber(claims.get(TokenIssuer.VERSION_CLAIM));
	}

	private static boolean isWholeNumber(Object value) {
		return value instanceof Integer || value instanceof Long;
	}

	private Optional<VerifiedToken> currentHolder(Claims claims) {
		long userId = Long.parseLong(claims.getSubject());
		long version = ((Number) claims.get(TokenIssuer.VERSION_CLAIM)).longValue();
		return this.accounts.findTokenHolder(userId)
			.filter(TokenHolder::enabled)
			.filter((holder) -> holder.tokenVersion() == version)
			.map((holder) -> new VerifiedToken(holder.userId(), holder.username(), claims.getId(),
					claims.getIssuedAt().toInstant(), claims.getExpiration().toInstant()));
	}

}
