package dev.tokenservice.token;

import dev.tokenservice.account.AccountDisabledException;
import dev.tokenservice.account.AccountService;
import dev.tokenservice.account.Credentials;
import dev.tokenservice.account.InvalidCredentialsException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;

import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /token} in its two styles, told apart by content type: the tutorial's JSON
 * body and the OAuth 2.0 password grant. Both feed the same authentication; only the
 * error shape differs.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6749#section-4.3">RFC 6749 §4.3</a>
 */
@RestController
class TokenController {

	private final AccountService accounts;

	private final TokenIssuer issuer;

	TokenController(AccountService accounts, TokenIssuer issuer) {
		this.accounts = accounts;
		this.issuer = issuer;
	}

	@PostMapping(path = "/token", consumes = MediaType.APPLICATION_JSON_VALUE)
	ResponseEntity<TokenResponse> tokenForJson(@Valid @RequestBody TokenRequest request, HttpServletRequest http) {
		return issueFor(request.credentials(), http.getRemoteAddr());
	}

	@PostMapping(path = "/token", consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
	ResponseEntity<TokenResponse> tokenForPasswordGrant(HttpServletRequest request) {
		Credentials credentials = PasswordGrantForm.read(request);
		try {
			return issueFor(credentials, request.getRemoteAddr());
		}
		catch (InvalidCredentialsException | AccountDisabledException ex) {
			throw new OAuth2TokenException("invalid_grant", "The username or password is not valid");
		}
	}

	private ResponseEntity<TokenResponse> issueFor(Credentials credentials, String client) {
		IssuedToken token = this.issuer.issue(this.accounts.authenticate(credentials, client));
		long expiresIn = this.issuer.lifetime().toSeconds();
		// RFC 6749 §5.1: responses carrying tokens must not be cached.
		return ResponseEntity.ok()
			.cacheControl(CacheControl.noStore())
			.header(HttpHeaders.PRAGMA, "no-cache")
			.body(TokenResponse.bearer(token.value(), expiresIn));
	}

}
