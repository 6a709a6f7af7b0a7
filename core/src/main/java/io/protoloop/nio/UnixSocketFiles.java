package io.protoloop.nio;

import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

/**
 * The file-system side of Unix domain sockets: a stale socket file left by a dead process is removed before
 * binding, but a socket some process still serves is not (the bind fails with "address in use", as a TCP port
 * would), nor anything that is not a socket; the file gets the server's permissions; it is removed on close
 * only if it is still the one this server created.
 */
final class UnixSocketFiles {

	private static final int S_IFMT = 0170000;

	private static final int S_IFSOCK = 0140000;

	private UnixSocketFiles() {
	}

	/**
	 * Removes a stale socket file at {@code path}; fails if something other than a socket is there, or if a
	 * process accepts connections on it.
	 */
	static void removeStale(Path path) throws IOException {
		if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
			return;
		}
		if (!isSocket(path)) {
			throw new BindException("Cannot listen on " + path + ": the path exists and is not a socket");
		}
		if (isServed(path)) {
			throw new BindException("Address already in use: a process is listening on " + path
					+ "; stop it, or choose another path");
		}
		Files.deleteIfExists(path);
	}

	/** Returns {@code true} unless connecting to the socket at {@code path} is refused: somebody listens there. */
	private static boolean isServed(Path path) throws IOException {
		try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
			// Non-blocking: a server with a full backlog would make a blocking connect wait; it still counts.
			probe.configureBlocking(false);
			probe.connect(UnixDomainSocketAddress.of(path));
			return true;
		}
		catch (ConnectException refused) {
			return false;
		}
	}

	/** Gives the socket file at {@code path} the permissions {@code mode}, where the file system has them. */
	static void setMode(Path path, Set<PosixFilePermission> mode) throws IOException {
		try {
			Files.setPosixFilePermissions(path, mode);
		}
		catch (UnsupportedOperationException notPosix) {
			// Windows: the socket file takes the directory's access control.
		}
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
