package dev.tokenservice.account;

import java.time.Clock;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Service;

/**
 * Registration and password authentication, and the current state of a token's holder.
 * The only way other packages reach user accounts.
 */
@Service
public class AccountService {

	private static final Pattern USERNAME = Pattern.compile(RegisterRequest.USERNAME_RULE);

	private final UserAccountRepository users;

	private final PasswordHasher hasher;

	private final Clock clock;

	AccountService(UserAccountRepository users, PasswordHasher hasher, Clock clock) {
		this.users = users;
		this.hasher = hasher;
		this.clock = clock;
	}

	/**
	 * Stores a new user and returns its id. The password is hashed before any transaction
	 * opens, and the unique index alone decides a race between two registrations of one
	 * name.
	 */
	long register(RegisterRequest request) {
		String username = canonical(request.username());
		rejectIfTaken(username);
		String hash = this.hasher.hash(request.password());
		try {
			return this.users.saveAndFlush(new UserAccount(username, request.email(), hash, this.clock.instant()))
				.getId();
		}
		catch (DataIntegrityViolationException ex) {
			rejectIfTaken(username);
			throw ex;
		}
	}

	/**
	 * The holder of these credentials, if the password is right and the account enabled.
	 */
	public TokenHolder authenticate(Credentials credentials) {
		Optional<UserAccount> user = findByUsername(credentials.username());
		boolean matched = this.hasher.matches(credentials.password(),
				user.map(UserAccount::getPasswordHash).orElse(null));
		if (user.isEmpty() || !matched) {
			throw new InvalidCredentialsException();
		}
		if (!user.get().isEnabled()) {
			throw new AccountDisabledException();
		}
		return user.get().toTokenHolder();
	}

	public Optional<TokenHolder> findTokenHolder(long userId) {
		return this.users.findTokenHolderById(userId);
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
