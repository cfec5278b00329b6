package dev.tokenservice.token;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.UUID;

import dev.tokenservice.account.TokenHolder;
import dev.tokenservice.config.JwtProperties;
import io.jsonwebtoken.Jwts;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.stereotype.Component;

/**
 * Builds and signs the JWT for an authenticated user: {@code iss}, {@code sub} (the user
 * id as a string), {@code username}, {@code iat}, {@code exp}, {@code jti} and
 * {@code ver}.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7519#section-4.1">RFC 7519 §4.1</a>
 */
@Component
public class TokenIssuer {

	private static final String USERNAME_CLAIM = "username";

	static final String VERSION_CLAIM = "ver";

	/** The {@code typ} header, which verification requires too (RFC 8725 §3.11). */
	static final String TYPE = "JWT";

	private final SigningKey signingKey;

	private final Clock clock;

	private final Duration lifetime;

	private final String issuer;

	private final Counter issued;

	TokenIssuer(SigningKey signingKey, Clock clock, JwtProperties jwt, MeterRegistry meters) {
		this.signingKey = signingKey;
		this.clock = clock;
		this.lifetime = jwt.expirationTime();
		this.issuer = jwt.issuer();
		this.issued = meters.counter("tokenservice.tokens.issued");
	}

	public IssuedToken issue(TokenHolder holder) {
		// JWT times are whole seconds; truncating first keeps exp - iat exactly the
		// lifetime.
		Instant issuedAt = this.clock.instant().truncatedTo(ChronoUnit.SECONDS);
		Instant expiresAt = issuedAt.plus(this.lifetime);
		String token = Jwts.builder()
			.header()
			.type(TYPE)
			.and()
			.issuer(this.issuer)
			.subject(Long.toString(holder.userId()))
			.claim(USERNAME_CLAIM, holder.username())
			.issuedAt(Date.from(issuedAt))
			.expiration(Date.from(expiresAt))
			.id(UUID.randomUUID().toString())
			.claim(VERSION_CLAIM, holder.tokenVersion())
			.signWith(this.signingKey.key(), this.signingKey.algorithm())
			.compact();
		this.issued.increment();
		return new IssuedToken(token, issuedAt, expiresAt);
	}

}
