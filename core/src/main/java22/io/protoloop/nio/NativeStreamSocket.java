package io.protoloop.nio;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.NetworkChannel;
import java.util.Objects;

/**
 * A stream socket, TCP or Unix domain, on a non-blocking descriptor that the loop's epoll set watches: the
 * native counterpart of {@link NioStreamSocket}, with the same semantics (reads return 0 when nothing is there
 * and -1 at end of stream, writes return what the socket took). Its {@link #extraInfo()} is itself.
 */
final class NativeStreamSocket extends NativeSocket implements StreamSocket {

	/**
	 * Wraps a connected or unconnected socket.
	 * @param fd its non-blocking descriptor, which this socket now owns
	 * @param family its address family
	 */
	NativeStreamSocket(int fd, int family) {
		super(fd, family);
	}

	/**
	 * Opens a socket to connect to {@code remote}, of its family; for TCP, bound to {@code local} with
	 * {@code SO_REUSEADDR} when given.
	 * @param remote the address it will connect to
	 * @param local the local address to bind, or {@code null}
	 * @return the unconnected socket
	 * @throws IOException if it cannot be opened or bound
	 */
	static NativeStreamSocket open(SocketAddress remote, SocketAddress local) throws IOException {
		int family = SocketAddresses.family(remote);
		return new NativeStreamSocket(Libc.socket(family, Libc.SOCK_STREAM, (fd) -> {
			if (local != null && family != Libc.AF_UNIX) {
				Libc.setOption(fd, Libc.SOL_SOCKET, Libc.SO_REUSEADDR, 1);
				Libc.bind(fd, family, local);
			}
		}), family);
	}

	@Override
	public boolean connect(SocketAddress remote) throws IOException {
		ensureOpen();
		return Libc.connect(this.fd, this.family, remote);
	}

	@Override
	public void finishConnect() throws IOException {
		ensureOpen();
		int error = Libc.socketError(this.fd);
		if (error != 0) {
			throw Libc.connectError(error);
		}
	}

	@Override
	public void configure(boolean keepAlive) throws IOException {
		ensureOpen();
		if (this.family != Libc.AF_UNIX) {
			Libc.setOption(this.fd, Libc.IPPROTO_TCP, Libc.TCP_NODELAY, 1);
			if (keepAlive) {
				Libc.setOption(this.fd, Libc.SOL_SOCKET, Libc.SO_KEEPALIVE, 1);
			}
		}
	}

	@Override
	public void shutdownOutput() throws IOException {
		ensureOpen();
		Libc.shutdownOutput(this.fd);
	}

	/**
	 * Copies through the JDK: {@code FileChannel} offers no public way to its descriptor, so the kernel's
	 * {@code sendfile} is out of reach; the JDK reads the file into a buffer and writes it here.
	 */
	@Override
	public long transferFrom(FileChannel file, long position, long count) throws IOException {
		return file.transferTo(position, count, this);
	}

	@Override
	public NetworkChannel extraInfo() {
		return this;
	}

	/**
	 * Reads in place into a direct buffer; a heap buffer is read through this thread's native staging area and
	 * copied, as the JDK does, so no call allocates.
	 */
	@Override
	public int read(ByteBuffer target) throws IOException {
		if (target.isReadOnly()) {
			throw new IllegalArgumentException("Read-only buffer");
		}
		ensureOpen();
		ThreadScratch scratch = ThreadScratch.get();
		int count = Libc.read(this.fd, scratch.target(target), ThreadScratch.capacity(target));
		if (count > 0) {
			scratch.received(target, count);
		}
		return count;
	}

	/** Sends a direct buffer in place, a heap buffer through this thread's native staging area. */
	@Override
	public int write(ByteBuffer source) throws IOException {
		ensureOpen();
		int size = ThreadScratch.capacity(source);
		int count = Libc.send(this.fd, ThreadScratch.get().source(source, size), size);
		source.position(source.position() + count);
		return count;
	}

	/**
	 * Writes as much of the buffers as the socket takes with one {@code sendmsg}, advancing their positions by
	 * what it took. Direct buffers go to the kernel in place; heap buffers are copied to native memory first, up
	 * to {@link ThreadScratch#STAGING_SIZE} bytes, so a write may stop short of them.
	 */
	@Override
	public long write(ByteBuffer[] sources, int offset, int length) throws IOException {
		Objects.checkFromIndexSize(offset, length, sources.length);
		ensureOpen();
		ThreadScratch scratch = ThreadScratch.get();
		int count = scratch.describe(sources, offset, length);
		long written = (count > 0) ? Libc.sendmsg(this.fd, scratch.header, scratch.iovecs, count) : 0;
		long left = written;
		for (int i = offset; left > 0; i++) {
			ByteBuffer source = sources[i];
			int taken = (int) Math.min(source.remaining(), left);
			source.position(source.position() + taken);
			left -= taken;
		}
		return written;
	}

	@Override
	public long write(ByteBuffer[] sources) throws IOException {
		return write(sources, 0, sources.length);
	}

}
