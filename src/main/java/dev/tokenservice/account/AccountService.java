package dev.tokenservice.account;

import java.time.Clock;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Service;

/**
 * Registration, password authentication and a user's own account changes, and the current
 * state of a token's holder. The only way other packages reach user accounts. Passwords
 * are hashed before any transaction opens: a 70 ms hash must not hold a database
 * connection.
 */
@Service
public class AccountService {

	private static final Pattern USERNAME = Pattern.compile(RegisterRequest.USERNAME_RULE);

	private final UserAccountRepository users;

	private final PasswordHasher hasher;

	private final PasswordPolicy policy;

	private final Clock clock;

	AccountService(UserAccountRepository users, PasswordHasher hasher, PasswordPolicy policy, Clock clock) {
		this.users = users;
		this.hasher = hasher;
		this.policy = policy;
		this.clock = clock;
	}

	/**
	 * Stores a new user and returns its id. The unique index alone decides a race between
	 * two registrations of one name.
	 */
	long register(RegisterRequest request) {
		return create(request.username(), request.email(), request.password(), Role.USER);
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
	 */
	public TokenHolder authenticate(Credentials credentials) {
		UserAccount user = verifiedPassword(findByUsername(credentials.username()), credentials.password());
		if (!user.isEnabled()) {
			throw new AccountDisabledException();
		}
		return user.toTokenHolder();
	}

	public Optional<TokenHolder> findTokenHolder(long userId) {
		return this.users.findTokenHolderById(userId);
	}

	UserView view(long userId) {
		return this.users.findById(userId).map(UserView::of).orElseThrow(AccountNotFoundException::new);
	}

	Optional<Role> roleOf(String username) {
		return findByUsername(username).map(UserAccount::getRole);
	}

	/** Sets a new password and ends every token issued under the old one. */
	void changePassword(TokenHolder holder, ChangePasswordRequest request) {
		UserAccount user = verifiedPassword(this.users.findById(holder.userId()), request.currentPassword());
		this.policy.problemWith(request.newPassword(), user.getUsername()).ifPresent((problem) -> {
			throw new PasswordRejectedException("new_password", problem);
		});
		String hash = this.hasher.hash(request.newPassword());
		if (this.users.changePassword(user.getId(), hash, this.clock.instant()) == 0) {
			throw new AccountNotFoundException();
		}
	}

	/** Ends every token of this user issued until now. */
	void logOutEverywhere(long userId) {
		if (this.users.endTokensIssuedBefore(userId, this.clock.instant()) == 0) {
			throw new AccountNotFoundException();
		}
	}

	/**
	 * One BCrypt comparison whether or not the user exists, so timing reveals nothing.
	 */
	private UserAccount verifiedPassword(Optional<UserAccount> user, String password) {
		boolean matched = this.hasher.matches(password, user.map(UserAccount::getPasswordHash).orElse(null));
		if (user.isEmpty() || !matched) {
			throw new InvalidCredentialsException();
		}
		return user.get();
	}

	private Optional<UserAccount> findByUsername(String username) {
		// A name that could never have been registered is not worth a query (and cannot
		// upset a driver).
		return USERNAME.matcher(username).matches() ? this.users.findByUsername(canonical(username)) : Optional.empty();
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
