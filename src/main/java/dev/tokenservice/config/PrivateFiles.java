package dev.tokenservice.config;

import java.nio.file.FileSystems;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Permissions for what the service writes into its data directory: password hashes and
 * the signing secret are for the service's own user only.
 */
public final class PrivateFiles {

	private PrivateFiles() {
	}

	public static FileAttribute<?>[] ownerOnly(boolean directory) {
		if (!hasModes()) {
			return new FileAttribute<?>[0];
		}
		String permissions = directory ? "rwx------" : "rw-------";
		return new FileAttribute<?>[] {
				PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(permissions)) };
	}

	/** Whether files have POSIX owner, group and other modes here (not on Windows). */
	static boolean hasModes() {
		return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
	}

}
