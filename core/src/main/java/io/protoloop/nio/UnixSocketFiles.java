package io.protoloop.nio;

import java.io.IOException;
import java.net.BindException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * The file-system side of Unix domain sockets: a stale socket file left by a dead process is removed before
 * binding (anything else at the path is an error), and the file is removed on close only if it is still the
 * one this server created.
 */
final class UnixSocketFiles {

	private static final int S_IFMT = 0170000;

	private static final int S_IFSOCK = 0140000;

	private UnixSocketFiles() {
	}

	/** Removes a socket file at {@code path}; fails if something other than a socket is there. */
	static void removeStale(Path path) throws IOException {
		if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
			return;
		}
		if (!isSocket(path)) {
			throw new BindException("Cannot listen on " + path + ": the path exists and is not a socket");
		}
		Files.deleteIfExists(path);
	}

	/** Returns the identity (device and inode) of the file at {@code path}, or {@code null}. */
	static Object fileKey(Path path) {
		try {
			return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
		}
		catch (IOException ex) {
			return null;
		}
	}

	/** Removes the socket file at {@code path} if it is still the file identified by {@code fileKey}. */
	static void cleanup(Path path, Object fileKey) {
		try {
			if (fileKey != null && fileKey.equals(fileKey(path))) {
				Files.deleteIfExists(path);
			}
		}
		catch (NoSuchFileException ex) {
			// Already gone.
		}
		catch (IOException ex) {
			System.getLogger(UnixSocketFiles.class.getName())
				.log(System.Logger.Level.WARNING, "Could not remove socket file " + path, ex);
		}
	}

	private static boolean isSocket(Path path) throws IOException {
		try {
			int mode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
			return (mode & S_IFMT) == S_IFSOCK;
		}
		catch (UnsupportedOperationException ex) {
			return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).isOther();
		}
	}

}
