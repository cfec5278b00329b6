package dev.tokenservice.account;

import java.time.Clock;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import dev.tokenservice.audit.AuditLog;
import dev.tokenservice.throttle.LoginAttempt;
import dev.tokenservice.throttle.Throttle;
import dev.tokenservice.throttle.ThrottledException;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Service;

/**
 * Registration, password authentication and a user's own account changes: the way other
 * packages reach user accounts, except the token check's one query (TokenStateQuery).
 * Passwords are hashed before any transaction opens: a 70 ms hash must not hold a
 * database connection. Logins and registrations are throttled on the caller's thread, so
 * a refused attempt never takes a place in the {@link HashingQueue}, and complete on a
 * hashing thread.
 */
@Service
public class AccountService {

	private static final Pattern USERNAME = Pattern.compile(RegisterRequest.USERNAME_RULE);

	private static final String IMPOSSIBLE_USERNAME = "(invalid)";

	private static final String NO_SUCH_USER = "(unknown)";

	private final UserAccountRepository users;

	private final PasswordHasher hasher;

	private final HashingQueue hashing;

	private final PasswordPolicy policy;

	private final Throttle throttle;

	private final Clock clock;

	private final ApplicationEventPublisher events;

	AccountService(UserAccountRepository users, PasswordHasher hasher, HashingQueue hashing, PasswordPolicy policy,
			Throttle throttle, Clock clock, ApplicationEventPublisher events) {
		this.users = users;
		this.hasher = hasher;
		this.hashing = hashing;
		this.policy = policy;
		this.throttle = throttle;
		this.clock = clock;
		this.events = events;
	}

	/**
	 * Stores a new user and returns its id. The unique index alone decides a race between
	 * two registrations of one name. The password's guessability is judged on the hashing
	 * thread, once the throttle has admitted the request: it can cost as much CPU as the
	 * hash.
	 */
	CompletableFuture<Long> register(RegisterRequest request, String client) {
		this.throttle.admitRegistration(client);
		return this.hashing.submit(() -> {
			requireAcceptable("password", request.password(), request.username());
			long userId = create(request.username(), request.email(), request.password(), Role.USER);
			AuditLog.registered(userId, canonical(request.username()), client);
			return userId;
		});
	}

	long create(String username, String email, String password, Role role) {
		String canonical = canonical(username);
		rejectIfTaken(canonical);
		String hash = this.hasher.hash(password);
		try {
			return this.users.saveAndFlush(new UserAccount(canonical, email, hash, role, this.clock.instant())).getId();
		}
		catch (DataIntegrityViolationException ex) {
			rejectIfTaken(canonical);
			throw ex;
		}
	}

	/**
	 * The holder of these credentials, if the password is right and the account enabled.
	 * Throttled per username and client address, where only wrong passwords count.
	 * @throws ThrottledException at once, for an attempt over a limit
	 * @throws HashingBusyException at once, when the hashing queue is full
	 */
	public CompletableFuture<TokenHolder> authenticate(Credentials credentials, String client) {
		String username = possibleUsername(credentials.username());
		LoginAttempt attempt = this.throttle.admitLogin(username, () -> auditedName(username), client);
		return submitGuess(attempt, () -> {
			UserAccount user = judgedGuess(() -> findByUsername(credentials.username()), credentials.password(),
					username, client, attempt);
			return enabledHolder(user, credentials.password(), client);
		});
	}

	/**
	 * Sets a new password and ends every token issued under the old one. Proving the
	 * current password is a login, throttled and audited as one, so a stolen token cannot
	 * guess it any faster.
	 */
	CompletableFuture<Void> changePassword(TokenHolder holder, ChangePasswordRequest request, String client) {
		LoginAttempt attempt = this.throttle.admitLogin(holder.username(), holder::username, client);
		return submitGuess(attempt, () -> {
			UserAccount user = judgedGuess(() -> this.users.findById(holder.userId()), request.currentPassword(),
					holder.username(), client, attempt);
			replacePassword(user, request.currentPassword(), request.newPassword());
			return null;
		});
	}

	/**
	 * Hashing work that judges a guess; a guess refused before it ran counts for nothing.
	 */
	private <T> CompletableFuture<T> submitGuess(LoginAttempt attempt, Supplier<T> work) {
		CompletableFuture<T> result;
		try {
			result = this.hashing.submit(work);
		}
		catch (HashingBusyException ex) {
			giveBack(attempt, ex);
			throw ex;
		}
		return result.whenComplete((ignored, failure) -> {
			// Refused after waiting in the queue: its work never ran.
			if (failure instanceof HashingBusyException busy) {
				giveBack(attempt, busy);
			}
		});
	}

	/**
	 * The account whose password this is. One hash comparison whether or not the user
	 * exists, so timing reveals nothing; a wrong guess counts against the attempt's
	 * limits.
	 */
	private UserAccount judgedGuess(Supplier<Optional<UserAccount>> lookup, String password, String username,
			String client, LoginAttempt attempt) {
		Optional<UserAccount> found;
		boolean matched;
		try {
			found = lookup.get();
			matched = this.hasher.matches(password, found.map(UserAccount::getPasswordHash).orElse(null));
		}
		catch (RuntimeException ex) {
			// The database or the hashing queue failed: no guess was judged.
			giveBack(attempt, ex);
			throw ex;
		}
		if (!matched) {
			// A name no account has is often the password, typed in the wrong field.
			AuditLog.loginFailed(found.isPresent() ? username : NO_SUCH_USER, client,
					found.isPresent() ? "wrong_password" : "unknown_user");
			throw new InvalidCredentialsException();
		}
		attempt.wasNoGuess();
		return found.get();
	}

	private static void giveBack(LoginAttempt attempt, RuntimeException failure) {
		try {
			attempt.wasNoGuess();
		}
		catch (RuntimeException ex) {
			failure.addSuppressed(ex);
		}
	}

	private TokenHolder enabledHolder(UserAccount user, String password, String client) {
		if (!user.isEnabled()) {
			AuditLog.loginFailed(user.getUsername(), client, "disabled");
			throw new AccountDisabledException();
		}
		upgradeHashIfWeaker(user, password);
		AuditLog.loginSucceeded(user.getId(), user.getUsername(), client);
		return user.toTokenHolder();
	}

	UserView view(long userId) {
		return this.users.findById(userId).map(UserView::of).orElseThrow(AccountNotFoundException::new);
	}

	Optional<Role> roleOf(String username) {
		return findByUsername(username).map(UserAccount::getRole);
	}

	boolean anyAdminExists() {
		return this.users.existsByRole(Role.ADMIN);
	}

	private void replacePassword(UserAccount user, String currentPassword, String newPassword) {
		requireAcceptable("new_password", newPassword, user.getUsername());
		String hash = this.hasher.hash(newPassword);
		String checkedHash = user.getPasswordHash();
		while (this.users.changePassword(user.getId(), checkedHash, hash, this.clock.instant()) == 0) {
			checkedHash = stillCurrentHash(user.getId(), currentPassword);
		}
		this.events.publishEvent(new TokenValidityChanged(user.getId()));
		AuditLog.accountChanged("password_changed", user.getId());
	}

	/**
	 * The stored hash, when it changed since it was checked but is still of this
	 * password: a login moved it to the configured algorithm meanwhile.
	 * @throws InvalidCredentialsException if the password was changed or the user deleted
	 */
	private String stillCurrentHash(long userId, String password) {
		return this.users.findById(userId)
			.map(UserAccount::getPasswordHash)
			.filter((stored) -> this.hasher.matches(password, stored))
			.orElseThrow(InvalidCredentialsException::new);
	}

	private void requireAcceptable(String field, String password, String username) {
		this.policy.problemWith(password, username).ifPresent((problem) -> {
			throw new PasswordRejectedException(field, problem);
		});
	}

	/** Ends every token of this user issued until now. */
	void logOutEverywhere(long userId) {
		if (this.users.endTokensIssuedBefore(userId, this.clock.instant()) == 0) {
			throw new AccountNotFoundException();
		}
		this.events.publishEvent(new TokenValidityChanged(userId));
		AuditLog.accountChanged("logged_out_everywhere", userId);
	}

	/**
	 * Rehashes at the configured cost after {@code password.bcrypt_cost} was raised, the
	 * one moment the plain password is at hand. A concurrent password change wins.
	 */
	private void upgradeHashIfWeaker(UserAccount user, String password) {
		if (this.hasher.needsUpgrade(user.getPasswordHash())) {
			this.users.replacePasswordHash(user.getId(), user.getPasswordHash(), this.hasher.rehash(password),
					this.clock.instant());
		}
	}

	/** A refused login's name in the audit log, as a failed login's: see judgedGuess. */
	private String auditedName(String possibleUsername) {
		boolean exists = !possibleUsername.equals(IMPOSSIBLE_USERNAME)
				&& this.users.findIdByUsername(possibleUsername).isPresent();
		return exists ? possibleUsername : NO_SUCH_USER;
	}

	private Optional<UserAccount> findByUsername(String username) {
		String possible = possibleUsername(username);
		// A name that could never have been registered is not worth a query (and cannot
		// upset a driver).
		return possible.equals(IMPOSSIBLE_USERNAME) ? Optional.empty() : this.users.findByUsername(possible);
	}

	/**
	 * The canonical form of a name an account could have, or one marker for every name
	 * none could: throttling keys and log lines never carry what a client typed there
	 * (perhaps a password, perhaps 10 kB).
	 */
	private static String possibleUsername(String username) {
		return USERNAME.matcher(username).matches() ? canonical(username) : IMPOSSIBLE_USERNAME;
	}

	private void rejectIfTaken(String username) {
		this.users.findIdByUsername(username).ifPresent((id) -> {
			throw new UsernameTakenException(id);
		});
	}

	private static String canonical(String username) {
		return username.toLowerCase(Locale.ROOT);
	}

}
