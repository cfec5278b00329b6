package dev.tokenservice.token;

/**
 * The success body of {@code POST /token} in both styles: {@code token} for the
 * tutorial's JSON clients, {@code access_token}, {@code token_type} and
 * {@code expires_in} for OAuth 2.0 clients.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6749#section-5.1">RFC 6749 §5.1</a>
 */
record TokenResponse(String token, String accessToken, String tokenType, long expiresIn) {

	static TokenResponse bearer(String token, long expiresIn) {
		return new TokenResponse(token, token, "bearer", expiresIn);
	}

	@Override
	public String toString() {
		return "TokenResponse[tokenType=" + this.tokenType + ", expiresIn=" + this.expiresIn + "]";
	}

}
