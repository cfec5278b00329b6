package dev.tokenservice.token;

import java.util.Map;

import dev.tokenservice.account.TokenHolder;
import dev.tokenservice.audit.AuditLog;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.MediaType;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /revoke}: a user ends one of their own tokens (an admin, anyone's). The
 * answer is the same whether or not the token was valid, so it reveals nothing.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7009#section-2">RFC 7009 §2</a>
 */
@RestController
class RevocationController {

	private final SignedTokenReader reader;

	private final TokenRevocations revocations;

	RevocationController(SignedTokenReader reader, TokenRevocations revocations) {
		this.reader = reader;
		this.revocations = revocations;
	}

	@PostMapping(path = "/revoke", consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
	Map<String, Object> revoke(HttpServletRequest request, @AuthenticationPrincipal TokenHolder caller) {
		String token = OAuth2Parameters.single(request, "token");
		this.reader.read(token).ifPresent((signed) -> {
			if (signed.userId() != caller.userId() && !caller.isAdmin()) {
				throw new AccessDeniedException("Not the caller's token");
			}
			this.revocations.revoke(signed);
			AuditLog.revoked(caller.userId(), signed.userId());
		});
		return Map.of();
	}

}
