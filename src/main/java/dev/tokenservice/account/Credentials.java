package dev.tokenservice.account;

/** A username and password as a client sent them, before any canonicalisation. */
public record Credentials(String username, String password) {

	@Override
	public String toString() {
		return "Credentials[username=" + this.username + "]";
	}

}
