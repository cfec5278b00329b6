package dev.tokenservice.token;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.tokenservice.account.Role;
import dev.tokenservice.account.TokenHolder;
import dev.tokenservice.account.TokenValidityChanged;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * What a token check needs from the database, in one round trip: its holder's current
 * state and whether its {@code jti} was revoked. Plain SQL rather than JPA because this
 * runs on every check, and the one place outside {@code account} that reads the users
 * table: going through AccountService would take a second round trip.
 * <p>
 * For the questions clients ask about tokens, an answer is remembered for at most
 * {@link #REMEMBERED_FOR}, so a change committed by another instance (or straight into
 * the database) is honoured within that time, as the design allows. A change made through
 * this instance is honoured at once: every {@link TokenValidityChanged}, heard after its
 * commit, starts a new generation, and answers are remembered per generation. The
 * generation is read before the query, so an answer read before a commit is never found
 * after it.
 */
@Component
class TokenStateQuery {

	/** Half the second the design allows, so polling and network time fit in the rest. */
	static final Duration REMEMBERED_FOR = Duration.ofMillis(500);

	private static final int REMEMBERED_TOKENS = 10_000;

	private static final String SQL = """
			SELECT u.id, u.username, u.enabled, u.role, u.token_version
			FROM users u
			WHERE u.id = ? AND NOT EXISTS (SELECT 1 FROM revoked_tokens r WHERE r.jti = ?)
			""";

	private final JdbcClient jdbc;

	private final AtomicLong generation = new AtomicLong();

	private final Cache<Question, Optional<TokenHolder>> answers = Caffeine.newBuilder()
		.maximumSize(REMEMBERED_TOKENS)
		.expireAfterWrite(REMEMBERED_FOR)
		// Upkeep on the calling thread: cheaper than a hand-off to the common pool.
		.executor(Runnable::run)
		.build();

	TokenStateQuery(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** The holder of the token, unless the holder is gone or the token was revoked. */
	Optional<TokenHolder> unrevokedHolder(SignedToken token) {
		return ask(token.userId(), token.jti());
	}

	/**
	 * The same, possibly as answered within the last {@link #REMEMBERED_FOR}. Asked
	 * outside the cache: with the cache's own loading, checks of one token wait for each
	 * other, and while the database is down the n-th waited n connection timeouts.
	 */
	Optional<TokenHolder> recentUnrevokedHolder(SignedToken token) {
		Question question = new Question(this.generation.get(), token.userId(), token.jti());
		Optional<TokenHolder> remembered = this.answers.getIfPresent(question);
		if (remembered != null) {
			return remembered;
		}
		Optional<TokenHolder> answer = ask(token.userId(), token.jti());
		this.answers.put(question, answer);
		return answer;
	}

	/** Runs after the change's transaction commits, or at once outside one. */
	@TransactionalEventListener(fallbackExecution = true)
	void forgetAnswersOnChange(TokenValidityChanged change) {
		this.generation.incrementAndGet();
	}

	private Optional<TokenHolder> ask(long userId, String jti) {
		return this.jdbc.sql(SQL)
			.params(userId, jti)
			.query((row, number) -> new TokenHolder(row.getLong("id"), row.getString("username"),
					row.getBoolean("enabled"), Role.valueOf(row.getString("role")), row.getLong("token_version")))
			.optional();
	}

	private record Question(long generation, long userId, String jti) {
	}

}
