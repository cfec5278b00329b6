package dev.tokenservice.token;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.tokenservice.support.Api;
import dev.tokenservice.support.HttpTestSupport;
import dev.tokenservice.support.Reply;
import dev.tokenservice.support.TestTokens;
import dev.tokenservice.support.TestUsers;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static dev.tokenservice.support.ProtectedEndpointAssertions.assertUnauthorized;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The attacks of RFC 8725 (JSON Web Token Best Current Practices), each crafted here with
 * an independent JWT library or by hand, for a user who really exists: every one is
 * refused by {@code /token_status} (path and Bearer form), {@code /introspect} and a
 * protected endpoint alike, while the same token without the attack is accepted.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8725#section-2">RFC 8725 §2</a>
 */
class JwtAttackHttpTests extends HttpTestSupport {

	private static final String INTROSPECTION_CLIENT = Api.basic(INTROSPECTION_CLIENT_ID, INTROSPECTION_CLIENT_SECRET);

	private static final String HS256_HEADER = "{\"alg\":\"HS256\",\"typ\":\"JWT\"}";

	private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

	private static final RSAKey ATTACKER_KEY = generateRsaKey();

	/** One holder for every case: a token is never what changes an account. */
	private static Holder holder;

	@BeforeEach
	void registerHolder() {
		if (holder == null) {
			String username = TestUsers.registered(this.api, "jwt-attack");
			holder = new Holder(userIdOf(username), username);
		}
	}

	static Stream<Arguments> attacks() {
		return Stream.of(
				// RFC 8725 §2.1, §3.1: the token must not choose its own algorithm.
				attack("alg none, unsigned", (user) -> unsigned("none", claims(user).build())),
				attack("alg NONE, unsigned", (user) -> unsigned("NONE", claims(user).build())),
				attack("alg nOnE, unsigned", (user) -> unsigned("nOnE", claims(user).build())),
				attack("alg none with the right HS256 signature kept",
						(user) -> hmac("{\"alg\":\"none\",\"typ\":\"JWT\"}", claims(user).build(), "HmacSHA256",
								secret())),
				attack("HS384 with the right secret",
						(user) -> hmac("{\"alg\":\"HS384\",\"typ\":\"JWT\"}", claims(user).build(), "HmacSHA384",
								secret())),
				attack("HS512 with the right secret",
						(user) -> hmac("{\"alg\":\"HS512\",\"typ\":\"JWT\"}", claims(user).build(), "HmacSHA512",
								secret())),
				attack("RS256 signed with a fresh RSA key", (user) -> rs256(claims(user).build())),
				// RFC 8725 §2.1: the RS256 -> HS256 confusion.
				attack("HS256 signed with the RSA public key's PEM text as the HMAC key",
						(user) -> hmac(HS256_HEADER, claims(user).build(), "HmacSHA256", publicKeyPem())),
				attack("HS256 signed with the RSA public key's DER bytes as the HMAC key",
						(user) -> hmac(HS256_HEADER, claims(user).build(), "HmacSHA256", publicKeyDer())),
				attack("header alg RS256 over an HMAC-SHA256 signature with the right secret",
						(user) -> hmac("{\"alg\":\"RS256\",\"typ\":\"JWT\"}", claims(user).build(), "HmacSHA256",
								secret())),
				// RFC 8725 §3.10: headers that point at other keys or demand extensions.
				attack("jku header",
						(user) -> signed((header) -> header.jwkURL(URI.create("https://attacker.example/jwks.json")),
								claims(user).build())),
				attack("x5u header",
						(user) -> signed(
								(header) -> header.x509CertURL(URI.create("https://attacker.example/cert.pem")),
								claims(user).build())),
				attack("embedded jwk header",
						(user) -> signed((header) -> header.jwk(ATTACKER_KEY.toPublicJWK()), claims(user).build())),
				attack("crit [exp] header",
						(user) -> signed(
								(header) -> header.criticalParams(Set.of("exp"))
									.customParam("exp", Instant.now().plusSeconds(3600).getEpochSecond()),
								claims(user).build())),
				// RFC 8725 §3.11: only the type this service issues.
				attack("no typ header",
						(user) -> hmac("{\"alg\":\"HS256\"}", claims(user).build(), "HmacSHA256", secret())),
				attack("typ at+jwt",
						(user) -> signed((header) -> header.type(new JOSEObjectType("at+jwt")), claims(user).build())),
				attack("crit with a custom header parameter",
						(user) -> signed(
								(header) -> header.criticalParams(Set.of("x-attack")).customParam("x-attack", true),
								claims(user).build())),
				// RFC 8725 §3.8, §3.9: claims.
				attack("missing exp", (user) -> TestTokens.sign(claims(user).expirationTime(null).build())),
				attack("iat 5 minutes in the future",
						(user) -> TestTokens
							.sign(claims(user).issueTime(Date.from(Instant.now().plusSeconds(300))).build())),
				attack("iat 40 s in the future (skew is 30 s)",
						(user) -> TestTokens
							.sign(claims(user).issueTime(Date.from(Instant.now().plusSeconds(40))).build())),
				attack("wrong iss", (user) -> TestTokens.sign(claims(user).issuer("attacker").build())),
				attack("iss differing only in case",
						(user) -> TestTokens.sign(claims(user).issuer("Token-Service").build())),
				attack("missing iss", (user) -> TestTokens.sign(claims(user).issuer(null).build())),
				attack("sub not numeric", (user) -> TestTokens.sign(claims(user).subject("abc").build())),
				attack("sub 0", (user) -> TestTokens.sign(claims(user).subject("0").build())),
				attack("sub of 19 digits",
						(user) -> TestTokens.sign(claims(user).subject("1234567890123456789").build())),
				attack("sub with a leading zero",
						(user) -> TestTokens.sign(claims(user).subject("0" + user.id()).build())),
				attack("sub as a JSON number", (user) -> TestTokens.sign(claims(user).claim("sub", user.id()).build())),
				attack("ver as a string", (user) -> TestTokens.sign(claims(user).claim("ver", "0").build())),
				// RFC 8725 §3.9: a token meant for another audience (this issuer names
				// none).
				attack("aud of another service", (user) -> TestTokens.sign(claims(user).audience("orders").build())),
				attack("jti longer than a revocation record holds (65 characters)",
						(user) -> TestTokens.sign(claims(user).jwtID("j".repeat(65)).build())),
				attack("exp more than a year after iat (no setting issues that)", (user) -> TestTokens
					.sign(claims(user).expirationTime(Date.from(Instant.now().plus(Duration.ofDays(366)))).build())),
				// RFC 7515 §2, §7.1: only the canonical compact form.
				attack("padding '=' on the signature", (user) -> valid(user).concat("=")),
				attack("standard base64 padding on every part", (user) -> padded(valid(user))),
				attack("'+' in place of '-'", (user) -> withCharacter('-', '+')),
				attack("'/' in place of '_'", (user) -> withCharacter('_', '/')),
				attack("a space inside", (user) -> valid(user).replaceFirst("\\.", ". ")),
				// The same, signed over the text as sent: only the spelling is wrong, so
				// a
				// lenient decoder alone would let them through.
				attack("padded header and payload, signed as sent",
						(user) -> signedAsSent(encode(HS256_HEADER) + "=", paddedPayload(user))),
				attack("'+' in the payload, signed as sent",
						(user) -> signedAsSent(encode(HS256_HEADER), payloadContaining('-').replaceFirst("-", "+"))),
				attack("'/' in the payload, signed as sent",
						(user) -> signedAsSent(encode(HS256_HEADER), payloadContaining('_').replaceFirst("_", "/"))),
				attack("a space in the payload, signed as sent",
						(user) -> signedAsSent(encode(HS256_HEADER), " " + encode(claims(user).build().toString()))),
				attack("altered unused bits of the payload, signed as sent",
						(user) -> withPayloadUnusedBitsSet(user)[1]),
				attack("altered unused bits of the signature's last character", JwtAttackHttpTests::withUnusedBitsSet),
				attack("empty middle part, signed", (user) -> emptyPayload()),
				attack("a fourth part", (user) -> valid(user) + "." + BASE64URL.encodeToString(new byte[] { 1, 2, 3 })),
				attack("over 8 KiB (a huge claim)",
						(user) -> TestTokens.sign(claims(user).claim("filler", "x".repeat(9000)).build())));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("attacks")
	void statusWhenAttackTokenInPathThen401InvalidToken(Attack attack) {
		String token = attack.craft(holder);

		assertInvalidToken(this.api.get("/token_status/" + inPath(token)));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("attacks")
	void statusWhenAttackTokenAsBearerThen401InvalidToken(Attack attack) {
		String token = attack.craft(holder);

		assertInvalidToken(this.api.get("/token_status", "Authorization", Api.bearer(token)));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("attacks")
	void introspectWhenAttackTokenThenOnlyActiveFalse(Attack attack) {
		String token = attack.craft(holder);

		Reply reply = introspect(token);

		assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
		assertThat(reply.isJson()).isTrue();
		assertThat(reply.json().propertyNames()).containsExactly("active");
		assertThat(reply.json().get("active").isBoolean()).isTrue();
		assertThat(reply.json().get("active").booleanValue()).isFalse();
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("attacks")
	void meWhenAttackTokenAsBearerThen401(Attack attack) {
		String token = attack.craft(holder);

		assertUnauthorized(this.api.withToken("GET", "/me", token), "Invalid token");
	}

	/**
	 * The controls: the crafting above is right, so each refusal is due to its attack.
	 */
	@Nested
	class Controls {

		@Test
		void whenCraftedCorrectlyWithTestTokensThenValidEverywhere() {
			assertValidEverywhere(TestTokens.signWith(holder.id(), holder.username(), (claims) -> {
			}));
		}

		@Test
		void whenCraftedByHandWithTheHeaderOfTheAttacksThenValidEverywhere() {
			assertValidEverywhere(hmac(HS256_HEADER, claims(holder).build(), "HmacSHA256", secret()));
		}

		@Test
		void whenSignedWithNimbusHeaderBuilderThenValidEverywhere() {
			assertValidEverywhere(signed((header) -> {
			}, claims(holder).build()));
		}

		@Test
		void whenIatTenSecondsInTheFutureThenValidBecauseSkewIs30Seconds() {
			assertValidEverywhere(
					TestTokens.sign(claims(holder).issueTime(Date.from(Instant.now().plusSeconds(10))).build()));
		}

		@Test
		void whenUnusedBitsOfSignatureAlteredThen401WhileOriginalIs200() {
			String original = valid(holder);
			String altered = withUnusedBitsSet(original);

			assertThat(altered).hasSameSizeAs(original).isNotEqualTo(original);
			assertThat(Base64.getUrlDecoder().decode(signatureOf(altered)))
				.isEqualTo(Base64.getUrlDecoder().decode(signatureOf(original)));
			assertValidEverywhere(original);
			assertInvalidEverywhere(altered);
		}

		@Test
		void whenPayloadUnusedBitsAlteredAndSignedAsSentThen401WhileOriginalIs200() {
			String[] originalAndAltered = withPayloadUnusedBitsSet(holder);
			String original = originalAndAltered[0];
			String altered = originalAndAltered[1];

			assertThat(altered.split("\\.")[1]).isNotEqualTo(original.split("\\.")[1]);
			assertThat(Base64.getUrlDecoder().decode(altered.split("\\.")[1]))
				.isEqualTo(Base64.getUrlDecoder().decode(original.split("\\.")[1]));
			assertValidEverywhere(original);
			assertInvalidEverywhere(altered);
		}

		@Test
		void whenPlusOrSlashSpellingThen401WhileOriginalIs200() {
			String withDash = validContaining('-');
			String withUnderscore = validContaining('_');

			assertValidEverywhere(withDash);
			assertValidEverywhere(withUnderscore);
			assertInvalidEverywhere(withDash.replaceFirst("-", "+"));
			assertInvalidEverywhere(withUnderscore.replaceFirst("_", "/"));
		}

		@Test
		void whenExactly8KiBThenValidAndOneCharacterMoreThen401() {
			String atLimit = tokenOfLength(SignedTokenReader.MAX_TOKEN_LENGTH);
			String overLimit = tokenOfLength(SignedTokenReader.MAX_TOKEN_LENGTH + 1);

			assertThat(atLimit).hasSize(8192);
			assertThat(overLimit).hasSize(8193);
			assertValidEverywhere(atLimit);
			assertInvalidEverywhere(overLimit);
		}

	}

	private void assertValidEverywhere(String token) {
		Reply path = this.api.get("/token_status/" + token);
		assertThat(path.status()).as(path.toString()).isEqualTo(200);
		assertThat(path.text("message")).isEqualTo("Token is valid");
		assertThat(path.number("user_id")).isEqualTo(holder.id());
		assertThat(path.text("username")).isEqualTo(holder.username());
		Reply bearer = this.api.get("/token_status", "Authorization", Api.bearer(token));
		assertThat(bearer.status()).as(bearer.toString()).isEqualTo(200);
		assertThat(bearer.number("user_id")).isEqualTo(holder.id());
		Reply introspection = introspect(token);
		assertThat(introspection.status()).as(introspection.toString()).isEqualTo(200);
		assertThat(introspection.json().get("active").booleanValue()).isTrue();
		assertThat(introspection.text("sub")).isEqualTo(Long.toString(holder.id()));
		Reply me = this.api.withToken("GET", "/me", token);
		assertThat(me.status()).as(me.toString()).isEqualTo(200);
		assertThat(me.text("username")).isEqualTo(holder.username());
	}

	private void assertInvalidEverywhere(String token) {
		assertInvalidToken(this.api.get("/token_status/" + inPath(token)));
		assertInvalidToken(this.api.get("/token_status", "Authorization", Api.bearer(token)));
		Reply introspection = introspect(token);
		assertThat(introspection.status()).as(introspection.toString()).isEqualTo(200);
		assertThat(introspection.body()).isEqualTo("{\"active\":false}");
		assertUnauthorized(this.api.withToken("GET", "/me", token), "Invalid token");
	}

	private static void assertInvalidToken(Reply reply) {
		assertThat(reply.status()).as(reply.toString()).isEqualTo(401);
		assertThat(reply.isJson()).isTrue();
		assertThat(reply.json().propertyNames()).containsExactly("message");
		assertThat(reply.text("message")).isEqualTo("Invalid token");
	}

	private Reply introspect(String token) {
		return this.api.postForm("/introspect", Api.form(Map.of("token", token)), INTROSPECTION_CLIENT);
	}

	/** The path form of a token with whitespace: percent-encoded, as a client must. */
	private static String inPath(String token) {
		return token.replace(" ", "%20").replace("\t", "%09");
	}

	// Crafting

	private static Arguments attack(String name, Attack attack) {
		return Arguments.of(Named.of(name, attack));
	}

	private static JWTClaimsSet.Builder claims(Holder user) {
		return TestTokens.claimsFor(user.id(), user.username());
	}

	private static String valid(Holder user) {
		return TestTokens.sign(claims(user).build());
	}

	private static byte[] secret() {
		return SECRET.getBytes(StandardCharsets.UTF_8);
	}

	private static String unsigned(String alg, JWTClaimsSet claims) {
		return encode("{\"alg\":\"" + alg + "\",\"typ\":\"JWT\"}") + "." + encode(claims.toString()) + ".";
	}

	/** Any header, signed with HMAC whatever the header says, as an attacker can. */
	private static String hmac(String header, JWTClaimsSet claims, String macAlgorithm, byte[] key) {
		String signingInput = encode(header) + "." + encode(claims.toString());
		return signingInput + "." + BASE64URL.encodeToString(mac(macAlgorithm, key, signingInput));
	}

	private static byte[] mac(String algorithm, byte[] key, String input) {
		try {
			Mac mac = Mac.getInstance(algorithm);
			mac.init(new SecretKeySpec(key, algorithm));
			return mac.doFinal(input.getBytes(StandardCharsets.US_ASCII));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** HS256 with the right secret and a header adjusted by the attack. */
	private static String signed(Consumer<JWSHeader.Builder> change, JWTClaimsSet claims) {
		JWSHeader.Builder header = new JWSHeader.Builder(JWSAlgorithm.HS256).type(JOSEObjectType.JWT);
		change.accept(header);
		try {
			SignedJWT jwt = new SignedJWT(header.build(), claims);
			jwt.sign(new MACSigner(secret()));
			return jwt.serialize();
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static String rs256(JWTClaimsSet claims) {
		try {
			SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).type(JOSEObjectType.JWT).build(),
					claims);
			jwt.sign(new RSASSASigner(ATTACKER_KEY));
			return jwt.serialize();
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** The public key as a PEM file holds it: what a verifier of RS256 would load. */
	private static byte[] publicKeyPem() {
		String pem = "-----BEGIN PUBLIC KEY-----\n"
				+ Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(publicKeyDer())
				+ "\n-----END PUBLIC KEY-----\n";
		return pem.getBytes(StandardCharsets.US_ASCII);
	}

	private static byte[] publicKeyDer() {
		try {
			RSAPublicKey key = ATTACKER_KEY.toRSAPublicKey();
			return key.getEncoded();
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static RSAKey generateRsaKey() {
		try {
			return new RSAKeyGenerator(2048).generate();
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static String emptyPayload() {
		String signingInput = encode(HS256_HEADER) + ".";
		return signingInput + "." + BASE64URL.encodeToString(mac("HmacSHA256", secret(), signingInput));
	}

	private static String padded(String token) {
		StringBuilder padded = new StringBuilder();
		for (String part : token.split("\\.")) {
			if (!padded.isEmpty()) {
				padded.append('.');
			}
			padded.append(part).append("=".repeat((4 - part.length() % 4) % 4));
		}
		// An HS256 signature is 43 characters, so at least it gets one '='.
		return padded.toString();
	}

	/**
	 * One character respelled: never two slashes in a row, which the HTTP layer would
	 * refuse before the token is read.
	 */
	private static String withCharacter(char canonical, char other) {
		String token = validContaining(canonical);
		int at = token.indexOf(canonical);
		return token.substring(0, at) + other + token.substring(at + 1);
	}

	/** A valid token that happens to contain the character (the jti is random). */
	private static String validContaining(char character) {
		for (int attempt = 0; attempt < 1000; attempt++) {
			String token = valid(holder);
			if (token.indexOf(character) >= 0) {
				return token;
			}
		}
		throw new IllegalStateException("No token with " + character + " in 1000 attempts");
	}

	/**
	 * A 32-byte HMAC-SHA256 signature is 43 characters: 258 bits, the last 2 unused. A
	 * decoder ignores them, so setting them spells the same signature differently.
	 */
	private static String withUnusedBitsSet(Holder user) {
		return withUnusedBitsSet(valid(user));
	}

	private static String withUnusedBitsSet(String token) {
		int last = token.length() - 1;
		return token.substring(0, last) + flipUnusedBits(token.charAt(last), 0b11);
	}

	private static char flipUnusedBits(char character, int unusedBits) {
		String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
		int value = alphabet.indexOf(character);
		// The canonical spelling has the unused bits zero; any other value of them
		// decodes to the same bytes.
		return alphabet.charAt((value & ~unusedBits) | 1);
	}

	private static String signatureOf(String token) {
		return token.substring(token.lastIndexOf('.') + 1);
	}

	/**
	 * A valid token whose payload decodes to 3n+1 bytes (8 bits in two characters, the
	 * last 4 bits of the second one unused), and the same payload with those bits set,
	 * signed over that spelling.
	 */
	private static String[] withPayloadUnusedBitsSet(Holder user) {
		for (int padding = 0; padding < 3; padding++) {
			JWTClaimsSet claims = claims(user).claim("pad", "x".repeat(padding)).build();
			if (claims.toString().getBytes(StandardCharsets.UTF_8).length % 3 == 1) {
				String payload = encode(claims.toString());
				String altered = payload.substring(0, payload.length() - 1)
						+ flipUnusedBits(payload.charAt(payload.length() - 1), 0b1111);
				return new String[] { signedAsSent(encode(HS256_HEADER), payload),
						signedAsSent(encode(HS256_HEADER), altered) };
			}
		}
		throw new IllegalStateException("No padding gives a payload of 3n+1 bytes");
	}

	/** HS256 with the right secret over exactly these two parts. */
	private static String signedAsSent(String header, String payload) {
		String signingInput = header + "." + payload;
		return signingInput + "." + BASE64URL.encodeToString(mac("HmacSHA256", secret(), signingInput));
	}

	/** A payload that needs padding, padded. */
	private static String paddedPayload(Holder user) {
		for (int padding = 0; padding < 3; padding++) {
			String payload = encode(claims(user).claim("pad", "x".repeat(padding)).build().toString());
			if (payload.length() % 4 != 0) {
				return payload + "=".repeat(4 - payload.length() % 4);
			}
		}
		throw new IllegalStateException("No payload needs padding");
	}

	/**
	 * A valid payload spelled with the character: a run of '?' (0x3F) encodes a '_' and a
	 * run of '~' (0x7E) a '-' whatever their offset.
	 */
	private static String payloadContaining(char character) {
		String payload = encode(claims(holder).claim("note", "????~~~~").build().toString());
		if (payload.indexOf(character) < 0) {
			throw new IllegalStateException("No " + character + " in " + payload);
		}
		return payload;
	}

	/** A valid token of exactly this many characters, made so by a filler claim. */
	private static String tokenOfLength(int length) {
		for (int filler = length * 3 / 4 - 300; filler < length * 3 / 4; filler++) {
			String token = TestTokens.sign(claims(holder).claim("filler", "x".repeat(filler)).build());
			if (token.length() == length) {
				return token;
			}
		}
		throw new IllegalStateException("No filler gives a token of " + length + " characters");
	}

	private static String encode(String json) {
		return BASE64URL.encodeToString(json.getBytes(StandardCharsets.UTF_8));
	}

	/** Crafts one attack token for the holder. */
	@FunctionalInterface
	interface Attack {

		String craft(Holder user);

	}

	record Holder(long id, String username) {
	}

}
