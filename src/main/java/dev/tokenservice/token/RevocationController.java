package dev.tokenservice.token;

import java.util.Map;

import dev.tokenservice.account.TokenHolder;
import dev.tokenservice.audit.AuditLog;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.SchemaProperty;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

import org.springframework.http.MediaType;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /revoke}: whoever holds a token may end it, the holder's own bearer token
 * or not (OAuth client libraries send none: this service has no registered clients to
 * authenticate, RFC 7009 §2.1). The answer is the same whether or not the token was
 * valid, so it reveals nothing.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7009#section-2">RFC 7009 §2</a>
 */
@RestController
@Tag(name = "Tokens")
class RevocationController {

	private final SignedTokenReader reader;

	private final TokenRevocations revocations;

	RevocationController(SignedTokenReader reader, TokenRevocations revocations) {
		this.reader = reader;
		this.revocations = revocations;
	}

	@Operation(operationId = "revokeToken", summary = "Revoke a token (RFC 7009)",
			description = "Holding the token is the right to revoke it: no credentials are needed, and a bearer token, if sent, must be valid. The answer is `{}` whether or not the token was valid; afterwards the token is invalid everywhere.",
			requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
					content = @Content(mediaType = MediaType.APPLICATION_FORM_URLENCODED_VALUE,
							schema = @Schema(type = "object", requiredProperties = "token"),
							schemaProperties = {
									@SchemaProperty(name = "token",
											schema = @Schema(type = "string", description = "The token to revoke")),
									@SchemaProperty(name = "token_type_hint",
											schema = @Schema(type = "string",
													description = "Optional; accepted and ignored")) })))
	@ApiResponse(responseCode = "200", description = "Revoked, or was not a valid token: an empty object",
			content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(type = "object")))
	@ApiResponse(responseCode = "400", description = "Missing or repeated `token` parameter (`invalid_request`)",
			content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
					schema = @Schema(ref = "#/components/schemas/OAuth2TokenError")))
	@ApiResponse(responseCode = "401", description = "A bearer token was sent and is not valid")
	@ApiResponse(responseCode = "413", description = "Body over the configured limit")
	@ApiResponse(responseCode = "415", description = "Content-Type is not a form")
	@PostMapping(path = "/revoke", consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
	Map<String, Object> revoke(@Parameter(hidden = true) HttpServletRequest request,
			@Parameter(hidden = true) @AuthenticationPrincipal @Nullable TokenHolder caller) {
		String token = OAuth2Parameters.token(request);
		this.reader.read(token).ifPresent((signed) -> {
			this.revocations.revoke(signed);
			AuditLog.revoked((caller != null) ? caller.userId() : signed.userId(), signed.userId());
		});
		return Map.of();
	}

}
