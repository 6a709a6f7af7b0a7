package io.protoloop.nio;

import java.io.IOException;

/**
 * Offers {@link EpollIo} to {@link NativeIo.Availability}, which finds this class by name and creates it
 * reflectively, so the Java 17 classes never name it.
 */
final class EpollProvider implements NativeIo.Provider {

	/** Created by {@link NativeIo.Availability}, once per JVM. */
	EpollProvider() {
	}

	/**
	 * {@inheritDoc} Native access must be enabled for this class's module, and the kernel must give an epoll
	 * set: one is opened and closed to find out.
	 */
	@Override
	public String unavailableReason() {
		String arch = System.getProperty("os.arch");
		if (!arch.equals("amd64") && !arch.equals("aarch64")) {
			return "its system-call constants are those of x86_64 and aarch64 (this is " + arch + ")";
		}
		if (!EpollProvider.class.getModule().isNativeAccessEnabled()) {
			return "native access is not enabled: start Java with --enable-native-access=ALL-UNNAMED";
		}
		try {
			Libc.close(Epoll.create());
			return null;
		}
		catch (IOException ex) {
			return "epoll_create1 failed: " + ex.getMessage();
		}
	}

	@Override
	public NativeIo open(SelectorEventLoop loop) throws IOException {
		return new EpollIo(loop);
	}

}
