package dev.tokenservice.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data directory, created (owner-only) and tried for writing before H2 opens anything
 * in it: H2's own failure there names its trace file, not {@code data.dir}, under some
 * 150 stack frames. Its files are tried too: H2 opens a database file it may not write
 * read-only, and the service would then report ready and fail every write.
 */
final class DataDirectory {

	private static final Logger logger = LoggerFactory.getLogger(DataDirectory.class);

	private static final Path PROC_SELF = Path.of("/proc/self");

	private static final Set<PosixFilePermission> OTHERS = EnumSet.of(PosixFilePermission.OTHERS_READ,
			PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

	private DataDirectory() {
	}

	/**
	 * Creates the directory if it is missing and, when the service is to write there,
	 * checks that it may.
	 */
	static void prepare(Path dir, boolean written) {
		Path absolute = dir.toAbsolutePath();
		if (Files.exists(absolute) && !Files.isDirectory(absolute)) {
			throw new InvalidConfigurationException("data.dir", absolute.normalize() + " is a file, not a directory");
		}
		try {
			if (!Files.isDirectory(absolute)) {
				Files.createDirectories(absolute, PrivateFiles.ownerOnly(true));
			}
		}
		catch (IOException ex) {
			throw refused(absolute, "cannot be created", where(ex) + reason(ex));
		}
		if (written) {
			requireWritable(absolute);
			requireUsableFiles(absolute);
			warnIfOpenToOthers(absolute);
		}
	}

	/**
	 * The service makes its directory owner-only, but the first versions, a bind mount or
	 * a hand-made directory may let every local user read the password hashes. A warning,
	 * not a refusal (PostgreSQL's choice for its own data), so an upgrade still starts.
	 */
	private static void warnIfOpenToOthers(Path dir) {
		if (!PrivateFiles.hasModes()) {
			return;
		}
		Set<PosixFilePermission> permissions;
		try {
			permissions = Files.getPosixFilePermissions(dir);
		}
		catch (IOException ex) {
			throw refused(dir, "cannot be inspected", reason(ex));
		}
		if (permissions.stream().anyMatch(OTHERS::contains)) {
			logger.warn(
					"data.dir {} is open to other users ({}): they can read the password hashes, and the signing "
							+ "secret if it was generated there. Close it: chmod o-rwx {}",
					dir.normalize(), PosixFilePermissions.toString(permissions), dir.normalize());
		}
	}

	/**
	 * Creates and deletes a file, which answers for everything that can forbid it (owner
	 * and mode, ACLs, a read-only mount, an immutable directory), root included.
	 */
	private static void requireWritable(Path dir) {
		try {
			Files.delete(Files.createTempFile(dir, ".write-check-", ".tmp"));
		}
		catch (IOException ex) {
			throw refused(dir, "is not writable", reason(ex));
		}
	}

	/**
	 * Every file must be readable (the generated secret, H2's files) and H2's files
	 * ({@code *.db}) writable as well: left behind by a start as another user (often
	 * root), they are not.
	 */
	private static void requireUsableFiles(Path dir) {
		List<String> unusable;
		try (Stream<Path> files = Files.list(dir)) {
			unusable = files.filter(Files::isRegularFile)
				.filter((file) -> !Files.isReadable(file) || (isDatabaseFile(file) && !Files.isWritable(file)))
				.map((file) -> file.getFileName().toString())
				.sorted()
				.toList();
		}
		catch (IOException ex) {
			throw refused(dir, "cannot be listed", reason(ex));
		}
		if (!unusable.isEmpty()) {
			throw new InvalidConfigurationException("data.dir",
					dir.normalize() + " holds files this user (" + user() + ") may not read or write: "
							+ String.join(", ", unusable),
					"As root, give them to that user (chown -R " + userId() + " " + dir.normalize()
							+ "), and start again.");
		}
	}

	private static boolean isDatabaseFile(Path file) {
		return file.getFileName().toString().endsWith(".db");
	}

	private static InvalidConfigurationException refused(Path dir, String problem, String reason) {
		return new InvalidConfigurationException("data.dir",
				dir.normalize() + " " + problem + " by this user (" + user() + "): " + reason,
				"As root, create the directory if need be and let that user write in it (e.g. chown it to that user), or "
						+ "set data.dir (DATA_DIR) to a directory that user may write, and start again.");
	}

	/** The path that could not be created, which may be a parent of the directory. */
	private static String where(IOException failure) {
		return (failure instanceof FileSystemException fs && fs.getFile() != null) ? fs.getFile() + ": " : "";
	}

	/** The JDK leaves the reason out of the exceptions it has a type for. */
	private static String reason(IOException failure) {
		if (failure instanceof AccessDeniedException) {
			return "permission denied";
		}
		if (failure instanceof NoSuchFileException) {
			return "no such file or directory";
		}
		return (failure instanceof FileSystemException fs && fs.getReason() != null) ? fs.getReason()
				: failure.toString();
	}

	/** The user the service runs as, as {@link #userId()} names it. */
	private static String user() {
		String id = userId();
		return Files.isDirectory(PROC_SELF) ? "uid " + id : id;
	}

	/**
	 * The uid where the system has one to show (Linux: the owner of /proc/self), else the
	 * user's name: in a container the name means nothing on the host that owns the
	 * mounted directory.
	 */
	private static String userId() {
		if (!Files.isDirectory(PROC_SELF)) {
			return System.getProperty("user.name");
		}
		try {
			return String.valueOf(Files.getAttribute(PROC_SELF, "unix:uid"));
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read the owner of " + PROC_SELF, ex);
		}
	}

}
