package dev.tokenservice.account;

/** A registration for a username that exists already, in any letter case. */
public class UsernameTakenException extends RuntimeException {

	private final long existingUserId;

	UsernameTakenException(long existingUserId) {
		super("User already exists", null, false, false);
		this.existingUserId = existingUserId;
	}

	public long getExistingUserId() {
		return this.existingUserId;
	}

}
