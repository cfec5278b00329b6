package dev.tokenservice.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The data directory, created (owner-only) and tried for writing before H2 opens anything
 * in it: H2's own failure there names its trace file, not {@code data.dir}, under some
 * 150 stack frames.
 */
final class DataDirectory {

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

	/**
	 * The user the service runs as, by uid where the system has one to show (Linux: the
	 * owner of /proc/self): in a container the user's name means nothing on the host that
	 * owns the mounted directory.
	 */
	private static String user() {
		Path self = Path.of("/proc/self");
		if (!Files.isDirectory(self)) {
			return System.getProperty("user.name");
		}
		try {
			return "uid " + Files.getAttribute(self, "unix:uid");
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read the owner of " + self, ex);
		}
	}

}
