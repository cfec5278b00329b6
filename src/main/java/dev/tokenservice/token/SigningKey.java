package dev.tokenservice.token;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

import dev.tokenservice.config.DataProperties;
import dev.tokenservice.config.InvalidConfigurationException;
import dev.tokenservice.config.JwtProperties;
import dev.tokenservice.config.PrivateFiles;
import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.security.MacAlgorithm;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * The HMAC key and algorithm every token is signed and verified with, built once at
 * start-up. The key comes from {@code jwt.secret}, or, when that is empty, from a random
 * secret generated on the first start and kept (owner-readable only) in the data
 * directory so tokens survive restarts. The generated secret is text used exactly as a
 * configured one is, so the file's content can become {@code JWT_SECRET} (for a second
 * instance, or a JWT library verifying tokens) as it stands.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7518#section-3.2">RFC 7518 §3.2</a>
 */
@Component
public class SigningKey {

	static final String GENERATED_SECRET_FILE = "jwt-secret";

	private static final Logger logger = LoggerFactory.getLogger(SigningKey.class);

	private final SecretKey key;

	private final MacAlgorithm algorithm;

	SigningKey(JwtProperties jwt, DataProperties data) {
		this.algorithm = (MacAlgorithm) Jwts.SIG.get().forKey(jwt.algorithm().name());
		byte[] secret = jwt.hasSecret() ? jwt.secret().getBytes(StandardCharsets.UTF_8)
				: generatedSecret(data.dir().resolve(GENERATED_SECRET_FILE), jwt.algorithm().minimumKeyBytes());
		this.key = new SecretKeySpec(secret, jwt.algorithm().jcaName());
	}

	SecretKey key() {
		return this.key;
	}

	MacAlgorithm algorithm() {
		return this.algorithm;
	}

	private static byte[] generatedSecret(Path file, int minimumBytes) {
		try {
			boolean created = createIfAbsent(file, minimumBytes);
			logger.warn(
					"jwt.secret is empty: signing with the {} secret in {} (set jwt.secret or JWT_SECRET to manage "
							+ "it yourself, and the same value on every instance)",
					created ? "newly generated" : "generated", file.toAbsolutePath());
			byte[] secret = Files.readString(file).trim().getBytes(StandardCharsets.UTF_8);
			if (secret.length < minimumBytes) {
				throw new InvalidConfigurationException("jwt.secret", "is empty and the generated secret in " + file
						+ " is too short for the configured algorithm: delete that file to generate a longer one");
			}
			return secret;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read or create the generated secret " + file, ex);
		}
	}

	/**
	 * Writes a new secret, {@code randomBytes} random bytes in unpadded base64url (safe
	 * in YAML, environment variables and shell), under a unique temporary name, then
	 * links it into place: the link fails if another process got there first, and then
	 * its secret is used.
	 */
	private static boolean createIfAbsent(Path file, int randomBytes) throws IOException {
		if (Files.exists(file)) {
			return false;
		}
		Path dir = file.toAbsolutePath().getParent();
		Files.createDirectories(dir, PrivateFiles.ownerOnly(true));
		byte[] secret = new byte[randomBytes];
		new SecureRandom().nextBytes(secret);
		Path temporary = Files.createTempFile(dir, file.getFileName() + "-", ".tmp", PrivateFiles.ownerOnly(false));
		try {
			Files.writeString(temporary, Base64.getUrlEncoder().withoutPadding().encodeToString(secret));
			Files.createLink(file, temporary);
			return true;
		}
		catch (FileAlreadyExistsException ex) {
			return false;
		}
		finally {
			Files.delete(temporary);
		}
	}

}
