package dev.tokenservice.token;

import dev.tokenservice.config.JwtProperties;
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
class IntrospectionController {

	private final TokenVerifier verifier;

	private final String issuer;

	IntrospectionController(TokenVerifier verifier, JwtProperties jwt) {
		this.verifier = verifier;
		this.issuer = jwt.issuer();
	}

	@PostMapping(path = "/introspect", consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
	ResponseEntity<IntrospectionResponse> introspect(HttpServletRequest request) {
		String token = OAuth2Parameters.single(request, "token");
		IntrospectionResponse body = this.verifier.verify(token)
			.map((verified) -> IntrospectionResponse.of(verified, this.issuer))
			.orElse(IntrospectionResponse.INACTIVE);
		return ResponseEntity.ok().cacheControl(CacheControl.noStore()).body(body);
	}

}
