package dev.tokenservice.token;

import java.time.Clock;
import java.time.Duration;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /token_status/{token}} (the tutorial's form) and {@code GET /token_status}
 * with a Bearer header, which keeps the token out of URLs and access logs.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6750#section-2.1">RFC 6750 §2.1</a>
 */
@RestController
@Tag(name = "Tokens")
class TokenStatusController {

	private final TokenVerifier verifier;

	private final Clock clock;

	TokenStatusController(TokenVerifier verifier, Clock clock) {
		this.verifier = verifier;
		this.clock = clock;
	}

	/**
	 * The capture-all pattern also catches tokens that contain '/' so they get a 401, not
	 * a 404.
	 */
	@Operation(operationId = "tokenStatus", summary = "Is this token valid?",
			description = "Valid: the signature verifies, it has not expired or been revoked, and its user exists, is enabled and has not changed password or logged out everywhere since.")
	@ApiResponse(responseCode = "200", description = "Token is valid")
	@ApiResponse(responseCode = "400",
			description = "A path the HTTP server itself cannot take (`%00`, `%2F` or `%5C` in it)")
	@ApiResponse(responseCode = "401",
			description = "Invalid token, for any reason (malformed, expired, tampered, revoked, ...)")
	@GetMapping("/token_status/{*token}")
	TokenStatusResponse statusOfPathToken(@Parameter(name = "token", in = ParameterIn.PATH, required = true,
			description = "The JWT to check") @PathVariable String token) {
		return status(token.substring(1));
	}

	@Operation(operationId = "bearerTokenStatus", summary = "Is the bearer token valid?",
			description = "The same check as /token_status/{token}, for the token in `Authorization: Bearer`.",
			security = @SecurityRequirement(name = "bearer"))
	@ApiResponse(responseCode = "200", description = "Token is valid")
	@ApiResponse(responseCode = "400", description = "More than one Authorization header")
	@ApiResponse(responseCode = "401", description = "No bearer token, or an invalid one")
	@GetMapping("/token_status")
	TokenStatusResponse statusOfBearerToken(@Parameter(hidden = true) @RequestHeader(name = HttpHeaders.AUTHORIZATION,
			required = false) @Nullable String authorization) {
		return status(BearerToken.from(authorization).orElseThrow(InvalidTokenException::new));
	}

	private TokenStatusResponse status(String token) {
		VerifiedToken verified = this.verifier.check(token).orElseThrow(InvalidTokenException::new);
		long expiresIn = Math.max(0, Duration.between(this.clock.instant(), verified.expiresAt()).toSeconds());
		return new TokenStatusResponse("Token is valid", verified.holder().userId(), verified.holder().username(),
				verified.expiresAt(), expiresIn);
	}

}
