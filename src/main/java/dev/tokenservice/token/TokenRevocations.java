package dev.tokenservice.token;

import java.time.Clock;
import java.util.concurrent.TimeUnit;

import dev.tokenservice.account.TokenValidityChanged;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Which tokens were revoked before they expired. A record is needed only while its token
 * could still pass every other check, so expired ones are purged on a schedule and the
 * table stays as small as the set of live revoked tokens.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7009#section-2.1">RFC 7009 §2.1</a>
 */
@Component
public class TokenRevocations {

	private static final Logger logger = LoggerFactory.getLogger(TokenRevocations.class);

	private final RevokedTokenRepository revoked;

	private final Clock clock;

	private final ApplicationEventPublisher events;

	TokenRevocations(RevokedTokenRepository revoked, Clock clock, ApplicationEventPublisher events) {
		this.revoked = revoked;
		this.clock = clock;
		this.events = events;
	}

	void revoke(SignedToken token) {
		if (this.revoked.existsById(token.jti())) {
			return;
		}
		try {
			this.revoked.saveAndFlush(new RevokedToken(token.jti(), token.userId(), token.expiresAt()));
		}
		catch (DataIntegrityViolationException ex) {
			// Revoked by a concurrent request, or its user was deleted meanwhile: either
			// way the token is dead.
		}
		this.events.publishEvent(new TokenValidityChanged(token.userId()));
	}

	@Scheduled(fixedDelay = 10, initialDelay = 10, timeUnit = TimeUnit.MINUTES)
	public int purgeExpired() {
		int purged = this.revoked.deleteExpiredBefore(this.clock.instant());
		if (purged > 0) {
			logger.debug("Purged {} revocation records of expired tokens", purged);
		}
		return purged;
	}

}
