package dev.tokenservice.token;

import dev.tokenservice.config.JwtProperties;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.media.SchemaProperty;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /introspect}: tells a resource server (an introspection client or an admin,
 * as the security configuration requires) whether a token is active, by exactly the rules
 * of {@code /token_status}.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7662#section-2">RFC 7662 §2</a>
 */
@RestController
@Tag(name = "Tokens")
class IntrospectionController {

	private final TokenVerifier verifier;

	private final String issuer;

	IntrospectionController(TokenVerifier verifier, JwtProperties jwt) {
		this.verifier = verifier;
		this.issuer = jwt.issuer();
	}

	@Operation(operationId = "introspectToken", summary = "Introspect a token (RFC 7662), for resource servers",
			description = "The caller is an admin (bearer) or an introspection client (HTTP Basic, or `client_id` and `client_secret` in the form). `active` is false for any token that /token_status would reject.",
			security = { @SecurityRequirement(name = "bearer"), @SecurityRequirement(
					name = "basic") },
			requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
					content = @Content(mediaType = MediaType.APPLICATION_FORM_URLENCODED_VALUE,
							schema = @Schema(type = "object", requiredProperties = "token"),
							schemaProperties = {
									@SchemaProperty(name = "token",
											schema = @Schema(type = "string", description = "The token to introspect")),
									@SchemaProperty(name = "token_type_hint",
											schema = @Schema(type = "string",
													description = "Optional; accepted and ignored")) })))
	@ApiResponse(responseCode = "200", description = "The token's claims when active, else only `active: false`")
	@ApiResponse(responseCode = "400", description = "Missing or repeated `token` parameter (`invalid_request`)",
			content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
					schema = @Schema(ref = "#/components/schemas/OAuth2TokenError")))
	@ApiResponse(responseCode = "401",
			description = "Neither a valid bearer token nor introspection client credentials (wrong client "
					+ "credentials: `invalid_client`, with a Basic challenge)",
			content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
					schema = @Schema(ref = "#/components/schemas/TokenEndpointError")))
	@ApiResponse(responseCode = "403", description = "A valid bearer token of a user who is not an admin")
	@ApiResponse(responseCode = "413", description = "Body over the configured limit")
	@ApiResponse(responseCode = "415", description = "Content-Type is not a form")
	@PostMapping(path = "/introspect", consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
	ResponseEntity<IntrospectionResponse> introspect(@Parameter(hidden = true) HttpServletRequest request) {
		String token = OAuth2Parameters.token(request);
		IntrospectionResponse body = this.verifier.check(token)
			.map((verified) -> IntrospectionResponse.of(verified, this.issuer))
			.orElse(IntrospectionResponse.INACTIVE);
		return ResponseEntity.ok().cacheControl(CacheControl.noStore()).body(body);
	}

}
