package dev.tokenservice.account;

/** The password was right but an administrator has disabled the account. */
public class AccountDisabledException extends RuntimeException {

	AccountDisabledException() {
		super("User is disabled", null, false, false);
	}

}
