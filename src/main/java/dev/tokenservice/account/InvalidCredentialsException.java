package dev.tokenservice.account;

/** Unknown username or wrong password: deliberately indistinguishable. */
public class InvalidCredentialsException extends RuntimeException {

	InvalidCredentialsException() {
		super("Invalid credentials", null, false, false);
	}

}
