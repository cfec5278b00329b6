package dev.tokenservice.token;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import dev.tokenservice.account.AccountDisabledException;
import dev.tokenservice.account.AccountService;
import dev.tokenservice.account.Credentials;
import dev.tokenservice.account.InvalidCredentialsException;
import dev.tokenservice.account.TokenHolder;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.SchemaProperty;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
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
 * error shape differs. The login completes on a hashing thread, off the request thread.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6749#section-4.3">RFC 6749 §4.3</a>
 */
@RestController
@Tag(name = "Tokens")
class TokenController {

	private final AccountService accounts;

	private final TokenIssuer issuer;

	TokenController(AccountService accounts, TokenIssuer issuer) {
		this.accounts = accounts;
		this.issuer = issuer;
	}

	@Operation(operationId = "issueToken", summary = "Log in: a token for a username and password", description = """
			Two request styles, told apart by Content-Type, with the same success body: \
			JSON `{"username","password"}`, or the OAuth 2.0 password grant (RFC 6749 §4.3) as a form, \
			whose errors come in RFC 6749 §5.2's shape (`invalid_request`, `unsupported_grant_type`, \
			`invalid_grant`, all 400).""",
			requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
					content = {
							@Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(
									implementation = TokenRequest.class)),
							@Content(mediaType = MediaType.APPLICATION_FORM_URLENCODED_VALUE,
									schema = @Schema(type = "object",
											requiredProperties = { "grant_type", "username", "password" }),
									schemaProperties = {
											@SchemaProperty(name = "grant_type",
													schema = @Schema(type = "string", allowableValues = "password")),
											@SchemaProperty(name = "username", schema = @Schema(type = "string")),
											@SchemaProperty(
													name = "password",
													schema = @Schema(type = "string", format = "password")),
											@SchemaProperty(name = "scope",
													schema = @Schema(type = "string",
															description = "Accepted and ignored")),
											@SchemaProperty(name = "client_id",
													schema = @Schema(type = "string",
															description = "Accepted and ignored")) }) }))
	@ApiResponse(responseCode = "200",
			description = "A token, in both styles (`token` and `access_token` are the same JWT)",
			headers = { @Header(name = "Cache-Control", schema = @Schema(type = "string", example = "no-store")),
					@Header(name = "Pragma", schema = @Schema(type = "string", example = "no-cache")) })
	@ApiResponse(responseCode = "400",
			description = "JSON: malformed body or blank username/password. Form: an OAuth 2.0 error (missing or repeated parameter, wrong grant type, bad credentials)",
			content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
					schema = @Schema(ref = "#/components/schemas/TokenEndpointError")))
	@ApiResponse(responseCode = "401",
			description = "JSON style: unknown user or wrong password (the same answer for both)")
	@ApiResponse(responseCode = "403", description = "JSON style: right password, but the user is disabled")
	@ApiResponse(responseCode = "413", description = "Body over the configured limit")
	@ApiResponse(responseCode = "415", description = "Content-Type is neither JSON nor a form")
	@ApiResponse(responseCode = "429", description = "Too many attempts for this username or from this address",
			content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
					schema = @Schema(ref = "#/components/schemas/TokenEndpointError")))
	@ApiResponse(responseCode = "503", description = "Database unavailable, or password hashing busy")
	@PostMapping(path = "/token", consumes = MediaType.APPLICATION_JSON_VALUE)
	CompletableFuture<ResponseEntity<TokenResponse>> tokenForJson(@Valid @RequestBody TokenRequest request,
			@Parameter(hidden = true) HttpServletRequest http) {
		return this.accounts.authenticate(request.credentials(), http.getRemoteAddr()).thenApply(this::issuedTo);
	}

	/** Documented with {@link #tokenForJson}: one operation with two request styles. */
	@Operation(hidden = true)
	@PostMapping(path = "/token", consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
	CompletableFuture<ResponseEntity<TokenResponse>> tokenForPasswordGrant(HttpServletRequest request) {
		Credentials credentials = PasswordGrantForm.read(request);
		return this.accounts.authenticate(credentials, request.getRemoteAddr())
			.thenApply(this::issuedTo)
			.exceptionally(TokenController::asInvalidGrant);
	}

	/**
	 * In the OAuth style, a wrong password and a disabled account are both invalid_grant.
	 * The description says which, as the JSON style's status does: only the right
	 * password learns that the account is disabled.
	 */
	private static ResponseEntity<TokenResponse> asInvalidGrant(Throwable failure) {
		Throwable cause = (failure instanceof CompletionException) ? failure.getCause() : failure;
		if (cause instanceof InvalidCredentialsException) {
			throw new OAuth2TokenException("invalid_grant", "The username or password is not valid");
		}
		if (cause instanceof AccountDisabledException) {
			throw new OAuth2TokenException("invalid_grant", cause.getMessage());
		}
		throw (cause instanceof RuntimeException runtime) ? runtime : new CompletionException(cause);
	}

	private ResponseEntity<TokenResponse> issuedTo(TokenHolder holder) {
		IssuedToken token = this.issuer.issue(holder);
		long expiresIn = Duration.between(token.issuedAt(), token.expiresAt()).toSeconds();
		// RFC 6749 §5.1: responses carrying tokens must not be cached.
		return ResponseEntity.ok()
			.cacheControl(CacheControl.noStore())
			.header(HttpHeaders.PRAGMA, "no-cache")
			.body(TokenResponse.bearer(token.value(), expiresIn));
	}

}
