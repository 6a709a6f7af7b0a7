package io.protoloop.interop;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import io.protoloop.testing.RunningLoop;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * What every interoperability test class shares: skipping with a message when no suitable {@code python3} is on
 * the PATH, a running loop, a folder for the scripts, and stopping every Python peer a test started.
 */
abstract class PythonInteropSupport {

	protected static String python3Version;

	private static boolean python3Available;

	private final String loopName;

	@TempDir
	Path scripts;

	protected RunningLoop running;

	protected final List<PythonPeer> peers = new ArrayList<>();

	PythonInteropSupport(String loopName) {
		this.loopName = loopName;
	}

	@BeforeAll
	static void findPython() {
		python3Version = PythonPeer.version();
		python3Available = python3Version != null;
	}

	@BeforeEach
	void startLoop() {
		assumeTrue(python3Available, "python3 not found on PATH: skipping the asyncio interoperability tests");
		assumeTrue(PythonPeer.supported(python3Version), () -> "python3 is " + python3Version
				+ ", older than 3.7: skipping the asyncio interoperability tests");
		this.running = new RunningLoop(this.loopName);
	}

	@AfterEach
	void stopPeersAndLoop() throws Exception {
		try {
			for (PythonPeer peer : this.peers) {
				peer.close();
			}
		}
		finally {
			if (this.running != null) {
				this.running.close();
			}
		}
	}

}
