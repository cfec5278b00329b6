package dev.tokenservice.token;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.tokenservice.support.HttpTestSupport;
import dev.tokenservice.support.Reply;
import dev.tokenservice.support.SeparateService;
import dev.tokenservice.support.TestUsers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The token follows the {@code jwt.*} configuration, read by an independent JWT library:
 * the algorithm in the header, the issuer, and the lifetime in both the token and the
 * response (API.md, "The token"). The shared test server runs on the defaults, so this
 * one starts its own. Tagged with the contract suite, so its PostgreSQL run covers this
 * too.
 */
@TestInstance(Lifecycle.PER_CLASS)
@Tag(HttpTestSupport.CONTRACT_TAG)
class TokenConfigurationHttpTests {

	/** 64 bytes, the least HS512 accepts. */
	private static final String SECRET = "token-configuration-test-secret-of-64-bytes-for-hs512-signing-00";

	private static final String ISSUER = "some-issuer";

	private static final int EXPIRATION_MINUTES = 5;

	@TempDir
	static Path dir;

	private SeparateService client;

	@BeforeAll
	void startService() {
		this.client = SeparateService.start(dir.resolve("configured"), SECRET, "jwt.algorithm=HS512",
				"jwt.issuer=" + ISSUER, "jwt.expiration_time=" + EXPIRATION_MINUTES, "password.bcrypt_cost=4");
	}

	@AfterAll
	void stopService() {
		this.client.close();
	}

	@Test
	void tokenWhenHs512IssuerAndLifetimeConfiguredThenTokenAndResponseFollowThem() throws Exception {
		assertThat(SECRET.getBytes(StandardCharsets.UTF_8)).hasSize(64);
		String username = this.client.registered("configured", null);

		Reply login = this.client.token(username, TestUsers.PASSWORD, null);

		assertThat(login.status()).as(login.toString()).isEqualTo(200);
		assertThat(login.number("expires_in")).isEqualTo(EXPIRATION_MINUTES * 60);
		SignedJWT jwt = SignedJWT.parse(login.text("token"));
		assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.HS512);
		assertThat(jwt.getHeader().getType().getType()).isEqualTo("JWT");
		assertThat(jwt.verify(new MACVerifier(SECRET.getBytes(StandardCharsets.UTF_8)))).isTrue();
		JWTClaimsSet claims = jwt.getJWTClaimsSet();
		assertThat(claims.getIssuer()).isEqualTo(ISSUER);
		assertThat(claims.getExpirationTime().toInstant().getEpochSecond()
				- claims.getIssueTime().toInstant().getEpochSecond())
			.isEqualTo(EXPIRATION_MINUTES * 60);
		// And the service accepts what it issued under this configuration.
		Reply status = this.client.get("/token_status/" + login.text("token"));
		assertThat(status.status()).as(status.toString()).isEqualTo(200);
		assertThat(status.number("expires_in")).isBetween(EXPIRATION_MINUTES * 60L - 60, EXPIRATION_MINUTES * 60L);
	}

}
