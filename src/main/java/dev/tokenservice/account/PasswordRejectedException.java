package dev.tokenservice.account;

/** A new password that the {@link PasswordPolicy} refuses, and the field it came in. */
public class PasswordRejectedException extends RuntimeException {

	private final String field;

	PasswordRejectedException(String field, String problem) {
		super(problem, null, false, false);
		this.field = field;
	}

	public String getField() {
		return this.field;
	}

}
