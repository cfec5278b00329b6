package dev.tokenservice.support;

import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.UUID;
import java.util.function.Consumer;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/**
 * Tokens crafted outside the service with an independent JWT library, valid or broken in
 * exactly one way, to prove what the service accepts.
 */
public final class TestTokens {

	private TestTokens() {
	}

	/** Claims the service itself would issue for this user, adjustable by the caller. */
	public static JWTClaimsSet.Builder claimsFor(long userId, String username) {
		Instant now = Instant.now();
		return new JWTClaimsSet.Builder().issuer(HttpTestSupport.ISSUER)
			.subject(Long.toString(userId))
			.claim("username", username)
			.issueTime(Date.from(now))
			.expirationTime(Date.from(now.plusSeconds(3600)))
			.jwtID(UUID.randomUUID().toString())
			.claim("ver", 0);
	}

	public static String sign(JWTClaimsSet claims) {
		return sign(claims, JWSAlgorithm.HS256, HttpTestSupport.SECRET);
	}

	public static String sign(JWTClaimsSet claims, JWSAlgorithm algorithm, String secret) {
		try {
			SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(algorithm).type(JOSEObjectType.JWT).build(), claims);
			jwt.sign(new MACSigner(secret.getBytes()));
			return jwt.serialize();
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
	}

	public static String signWith(long userId, String username, Consumer<JWTClaimsSet.Builder> change) {
		JWTClaimsSet.Builder claims = claimsFor(userId, username);
		change.accept(claims);
		return sign(claims.build());
	}

	/** An unsecured JWT ({@code alg: none}) with the given claims. */
	public static String unsecured(JWTClaimsSet claims) {
		Base64.Encoder base64url = Base64.getUrlEncoder().withoutPadding();
		String header = base64url.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes());
		String payload = base64url.encodeToString(claims.toString().getBytes());
		return header + "." + payload + ".";
	}

}
