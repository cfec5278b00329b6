package dev.tokenservice.token;

import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Date;
import java.util.Optional;
import java.util.regex.Pattern;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import dev.tokenservice.config.JwtProperties;
import io.jsonwebtoken.Claims;
import io.jsonwebtoken.Jws;
import io.jsonwebtoken.JwsHeader;
import io.jsonwebtoken.JwtException;
import io.jsonwebtoken.JwtParser;
import io.jsonwebtoken.Jwts;

import org.springframework.stereotype.Component;

/**
 * Reads a token as strictly as RFC 8725 asks, before anything about its holder is looked
 * up: canonical compact form, the configured algorithm and key only (never the token's
 * {@code alg}), no header that points at other keys ({@code jku}, {@code x5u},
 * {@code jwk}) or demands extensions ({@code crit}), the configured {@code iss}, an
 * {@code exp} in the future and an {@code iat} not in the future beyond the allowed clock
 * skew.
 * <p>
 * A token that passed is remembered until it expires, so checking it again costs a lookup
 * and a clock comparison instead of base64, JSON and an HMAC: the same string always says
 * the same thing under the same key. What can change (revocation, the holder's state) is
 * never remembered here.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8725#section-3">RFC 8725 §3</a>
 */
@Component
class SignedTokenReader {

	/**
	 * Ours are about 300 characters; a longer string is refused before the regular
	 * expression and the parser spend time on it.
	 */
	static final int MAX_TOKEN_LENGTH = 8192;

	/** Three unpadded base64url parts: no '+', '/', '=' or whitespace (RFC 7515 §7.1). */
	private static final Pattern COMPACT_JWS = Pattern.compile("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");

	/** Tokens read and found good; a few MB at most. */
	private static final int REMEMBERED_TOKENS = 10_000;

	/** A positive user id that fits a {@code long}: 18 digits at most. */
	private static final Pattern SUBJECT = Pattern.compile("[1-9][0-9]{0,17}");

	private final JwtParser parser;

	private final Clock clock;

	private final Duration clockSkew;

	private final Cache<String, SignedToken> good;

	SignedTokenReader(SigningKey signingKey, Clock clock, JwtProperties jwt) {
		this.parser = Jwts.parser()
			.sig()
			.clear()
			.add(signingKey.algorithm())
			.and()
			.verifyWith(signingKey.key())
			.requireIssuer(jwt.issuer())
			.clock(() -> Date.from(clock.instant()))
			.build();
		this.clock = clock;
		this.clockSkew = jwt.clockSkew();
		this.good = Caffeine.newBuilder()
			.maximumSize(REMEMBERED_TOKENS)
			// Upkeep on the calling thread: cheaper than a hand-off to the common pool on
			// every new token.
			.executor(Runnable::run)
			.expireAfter(Expiry.creating((String key, SignedToken read) -> untilExpiry(read)))
			.build();
	}

	Optional<SignedToken> read(String token) {
		SignedToken remembered = this.good.getIfPresent(token);
		if (remembered != null) {
			return remembered.expiresAt().isBefore(this.clock.instant()) ? Optional.empty() : Optional.of(remembered);
		}
		Optional<SignedToken> read = readStrictly(token);
		read.ifPresent((signed) -> this.good.put(token, signed));
		return read;
	}

	private Duration untilExpiry(SignedToken token) {
		Duration left = Duration.between(this.clock.instant(), token.expiresAt());
		return left.isNegative() ? Duration.ZERO : left;
	}

	private Optional<SignedToken> readStrictly(String token) {
		if (token.length() > MAX_TOKEN_LENGTH || !COMPACT_JWS.matcher(token).matches()
				|| !isCanonicalBase64Url(token)) {
			return Optional.empty();
		}
		try {
			Jws<Claims> jws = this.parser.parseSignedClaims(token);
			return (hasSafeHeader(jws.getHeader()) && hasRequiredClaims(jws.getPayload()))
					? Optional.of(signedToken(jws.getPayload())) : Optional.empty();
		}
		catch (JwtException | IllegalArgumentException ex) {
			return Optional.empty();
		}
	}

	/**
	 * Decoders ignore the unused low bits of a part's last character, so one token could
	 * otherwise be spelled several ways; only the spelling the issuer produced is valid.
	 */
	private static boolean isCanonicalBase64Url(String token) {
		Base64.Decoder decoder = Base64.getUrlDecoder();
		Base64.Encoder encoder = Base64.getUrlEncoder().withoutPadding();
		for (String part : token.split("\\.")) {
			try {
				if (!encoder.encodeToString(decoder.decode(part)).equals(part)) {
					return false;
				}
			}
			catch (IllegalArgumentException ex) {
				return false;
			}
		}
		return true;
	}

	/**
	 * The type the issuer writes (media types ignore case), and no pointer to another key
	 * or demand for extensions.
	 */
	private static boolean hasSafeHeader(JwsHeader header) {
		return TokenIssuer.TYPE.equalsIgnoreCase(header.getType()) && header.getJwkSetUrl() == null
				&& header.getX509Url() == null && header.getJwk() == null && !header.containsKey("crit");
	}

	/**
	 * The claims the issuer writes, within what it can write: an id a revocation record
	 * can hold, a lifetime no setting allows more of, and no audience (RFC 8725 §3.9: one
	 * names a token meant for some other service sharing the key).
	 */
	private boolean hasRequiredClaims(Claims claims) {
		return claims.getExpiration() != null && claims.getIssuedAt() != null && claims.getId() != null
				&& claims.getId().length() <= RevokedToken.MAX_JTI_LENGTH && claims.getSubject() != null
				&& SUBJECT.matcher(claims.getSubject()).matches()
				&& isWholeNumber(claims.get(TokenIssuer.VERSION_CLAIM)) && !claims.containsKey(Claims.AUDIENCE)
				&& !claims.getIssuedAt().toInstant().isAfter(this.clock.instant().plus(this.clockSkew))
				&& !claims.getExpiration()
					.toInstant()
					.isAfter(claims.getIssuedAt().toInstant().plus(JwtProperties.MAX_EXPIRATION_TIME));
	}

	private static boolean isWholeNumber(Object value) {
		return value instanceof Integer || value instanceof Long;
	}

	private static SignedToken signedToken(Claims claims) {
		return new SignedToken(Long.parseLong(claims.getSubject()), claims.getId(),
				((Number) claims.get(TokenIssuer.VERSION_CLAIM)).longValue(), claims.getIssuedAt().toInstant(),
				claims.getExpiration().toInstant());
	}

}
