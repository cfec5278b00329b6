package dev.tokenservice.token;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

import dev.tokenservice.config.DataProperties;
import dev.tokenservice.config.InvalidConfigurationException;
import dev.tokenservice.config.JwtProperties;
import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.security.MacAlgorithm;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * The HMAC key and algorithm every token is signed and verified with, built once at
 * start-up. The key comes from {@code jwt.secret}, or, when that is empty, from a random
 * secret generated on the first start and kept (owner-readable only) in the data
 * directory so tokens survive restarts.
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
			byte[] secret = Base64.getDecoder().decode(Files.readString(file).trim());
			if (secret.length < minimumBytes) {
				throw new InvalidConfigurationException("jwt.secret", "is empty and the generated secret in " + file
						+ " is too short for the configured algorithm: delete that file to generate a longer one");
			}
			return secret;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read or create the generated secret " + file, ex);
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidConfigurationException("jwt.secret",
					"is empty and " + file + " does not hold a base64 secret: delete it to generate a new one");
		}
	}

	private static boolean createIfAbsent(Path file, int bytes) throws IOException {
		if (Files.exists(file)) {
			return false;
		}
		Files.createDirectories(file.toAbsolutePath().getParent());
		byte[] secret = new byte[bytes];
		new SecureRandom().nextBytes(secret);
		Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
		Files.deleteIfExists(temporary);
		Files.createFile(temporary, ownerOnly());
		Files.writeString(temporary, Base64.getEncoder().encodeToString(secret));
		try {
			Files.move(temporary, file);
			return true;
		}
		catch (FileAlreadyExistsException ex) {
			// Another process created it first: use theirs.
			Files.delete(temporary);
			return false;
		}
	}

	private static FileAttribute<?>[] ownerOnly() {
		if (!FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
			return new FileAttribute<?>[0];
		}
		return new FileAttribute<?>[] {
				PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")) };
	}

}
