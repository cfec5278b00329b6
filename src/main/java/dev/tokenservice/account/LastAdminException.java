package dev.tokenservice.account;

/** The change would leave no enabled admin, and so no one to run the service. */
public class LastAdminException extends RuntimeException {

	LastAdminException() {
		super("Cannot disable or delete the last enabled admin", null, false, false);
	}

}
