package dev.tokenservice.account;

/** An account endpoint named a user id that does not exist. */
public class AccountNotFoundException extends RuntimeException {

	AccountNotFoundException() {
		super("User not found", null, false, false);
	}

}
