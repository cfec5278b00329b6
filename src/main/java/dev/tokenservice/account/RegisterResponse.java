package dev.tokenservice.account;

/** The body of a successful {@code POST /register-user}. */
record RegisterResponse(String message, long userId) {

	static RegisterResponse created(long userId) {
		return new RegisterResponse("User created successfully", userId);
	}

}
