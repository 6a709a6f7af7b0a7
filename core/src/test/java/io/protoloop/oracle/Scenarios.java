package io.protoloop.oracle;

import java.util.List;

/**
 * Every scenario of the oracle, in the order of {@code oracle/scenarios.py}. A scenario marked
 * {@link Scenario#differs} is listed, with the same reason, in docs/asyncio-differences.md.
 */
final class Scenarios {

	private Scenarios() {
	}

	private static final String ABORT_WITH_UNREAD_INPUT = "a connection aborted with unread input: CPython's peer sees "
			+ "a reset; Protoloop's sees EOF first, because the JDK half-closes a socket registered with a selector "
			+ "before closing it";

	static final List<Scenario> ALL = List.of(
			Scenario.of("client-write-close", StreamScenarios::clientWriteClose),
			Scenario.of("server-echo-then-eof", StreamScenarios::serverEchoThenEof),
			Scenario.of("close-in-connection-made", StreamScenarios::closeInConnectionMade),
			Scenario.of("close-twice-then-abort", StreamScenarios::closeTwiceThenAbort),
			Scenario.of("abort-in-data-received", StreamScenarios::abortInDataReceived),
			Scenario.of("peer-reset", StreamScenarios::peerReset),
			Scenario.of("connect-refused", StreamScenarios::connectRefused),
			Scenario.of("connect-localhost-refused-one-error", StreamScenarios::connectLocalhostRefusedOneError),
			Scenario.of("write-after-connection-lost", StreamScenarios::writeAfterConnectionLost),
			Scenario.of("extra-info", StreamScenarios::extraInfo),
			Scenario.of("writelines-and-empty-write", StreamScenarios::writelinesAndEmptyWrite),
			Scenario.of("set-protocol-switch", StreamScenarios::setProtocolSwitch),
			Scenario.of("eof-received-false-closes", StreamScenarios::eofReceivedFalseCloses),
			Scenario.of("eof-received-true-stays-open", StreamScenarios::eofReceivedTrueStaysOpen),
			Scenario.of("write-eof-then-peer-answers", StreamScenarios::writeEofThenPeerAnswers),
			Scenario.of("write-after-write-eof", StreamScenarios::writeAfterWriteEof),
			Scenario.of("write-eof-flushes-buffer-first", StreamScenarios::writeEofFlushesBufferFirst),
			Scenario.of("both-sides-half-close", StreamScenarios::bothSidesHalfClose),
			Scenario.of("write-buffer-limits-forms", FlowControlScenarios::writeBufferLimitsForms),
			Scenario.of("write-buffer-limits-low-only-and-reset", FlowControlScenarios::writeBufferLimitsLowOnlyAndReset),
			Scenario.of("write-buffer-limits-invalid", FlowControlScenarios::writeBufferLimitsInvalid),
			Scenario.of("pause-strictly-over-high", FlowControlScenarios::pauseStrictlyOverHigh),
			Scenario.of("zero-high-watermark", FlowControlScenarios::zeroHighWatermark)
				.differs("CPython calls _call_connection_lost() twice when resume_writing() closes a transport "
						+ "whose buffer just drained to 0: the handler gets an AttributeError (gh-156512); Protoloop calls "
						+ "connectionLost once"),
			Scenario.of("equal-watermarks", FlowControlScenarios::equalWatermarks),
			Scenario.of("limits-lowered-below-buffer", FlowControlScenarios::limitsLoweredBelowBuffer),
			Scenario.of("limits-raised-while-paused", FlowControlScenarios::limitsRaisedWhilePaused),
			Scenario.of("pause-writing-raises", FlowControlScenarios::pauseWritingRaises),
			Scenario.of("resume-writing-raises", FlowControlScenarios::resumeWritingRaises),
			Scenario.of("write-after-close-while-flushing", FlowControlScenarios::writeAfterCloseWhileFlushing),
			Scenario.of("abort-with-pending-writes", FlowControlScenarios::abortWithPendingWrites),
			Scenario.of("close-with-pending-writes", FlowControlScenarios::closeWithPendingWrites),
			Scenario.of("connection-made-raises", StreamScenarios::connectionMadeRaises),
			Scenario.of("connection-lost-raises", StreamScenarios::connectionLostRaises),
			Scenario.of("data-received-raises", StreamScenarios::dataReceivedRaises),
			Scenario.of("eof-received-raises", StreamScenarios::eofReceivedRaises),
			Scenario.of("callback-raises-loop-goes-on", LoopScenarios::callbackRaisesLoopGoesOn),
			Scenario.of("pause-reading-in-connection-made", StreamScenarios::pauseReadingInConnectionMade),
			Scenario.of("call-soon-pause-reading-before-data", StreamScenarios::callSoonPauseReadingBeforeData),
			Scenario.of("call-soon-pause-reading-in-data-received", StreamScenarios::callSoonPauseReadingInDataReceived),
			Scenario.of("pause-reading-around-eof", StreamScenarios::pauseReadingAroundEof),
			Scenario.of("pause-resume-reading-idempotent", StreamScenarios::pauseResumeReadingIdempotent),
			Scenario.of("close-in-data-received", StreamScenarios::closeInDataReceived),
			Scenario.of("buffered-protocol-basic", BufferedScenarios::bufferedProtocolBasic),
			Scenario.of("buffered-one-byte-buffer", BufferedScenarios::bufferedOneByteBuffer),
			Scenario.of("buffered-eof-true-then-write", BufferedScenarios::bufferedEofTrueThenWrite),
			Scenario.of("get-buffer-raises", BufferedScenarios::getBufferRaises)
				.differs(ABORT_WITH_UNREAD_INPUT),
			Scenario.of("get-buffer-empty", BufferedScenarios::getBufferEmpty)
				.differs(ABORT_WITH_UNREAD_INPUT),
			Scenario.of("buffer-updated-raises", BufferedScenarios::bufferUpdatedRaises),
			Scenario.of("udp-echo-unconnected", DatagramScenarios::udpEchoUnconnected),
			Scenario.of("udp-connected-closed-port", DatagramScenarios::udpConnectedClosedPort),
			Scenario.of("udp-error-received-raises", DatagramScenarios::udpErrorReceivedRaises),
			Scenario.of("udp-datagram-received-raises", DatagramScenarios::udpDatagramReceivedRaises),
			Scenario.of("udp-empty-datagram-connected", DatagramScenarios::udpEmptyDatagramConnected)
				.differs("JDK 17 cannot send a zero-length datagram on a connected channel: Protoloop "
						+ "reports it to errorReceived and never throws; "
						+ "CPython 3.11-3.12 drops it silently, 3.13+ sends it"),
			Scenario.of("udp-extra-info", DatagramScenarios::udpExtraInfo),
			Scenario.of("udp-sendto-other-address-when-connected", DatagramScenarios::udpSendtoOtherAddressWhenConnected),
			Scenario.of("udp-sendto-after-close", DatagramScenarios::udpSendtoAfterClose),
			Scenario.of("server-close-with-live-connection", ServerScenarios::serverCloseWithLiveConnection)
				.differs("CPython 3.11 and older: wait_closed() returns at once after close() even with "
						+ "live connections (gh-79033, fixed in 3.12.1); Protoloop waits for them, as 3.12.1+ does"),
			Scenario.of("server-serve-forever", ServerScenarios::serverServeForever),
			Scenario.of("server-start-serving-later", ServerScenarios::serverStartServingLater),
			Scenario.of("call-at-ties", LoopScenarios::callAtTies),
			Scenario.of("ready-before-due-timer", LoopScenarios::readyBeforeDueTimer),
			Scenario.of("stop-inside-batch", LoopScenarios::stopInsideBatch),
			Scenario.of("run-until-complete-error", LoopScenarios::runUntilCompleteError),
			Scenario.of("run-until-complete-stopped-early", LoopScenarios::runUntilCompleteStoppedEarly),
			Scenario.of("run-while-running", LoopScenarios::runWhileRunning),
			Scenario.of("closed-loop", LoopScenarios::closedLoop),
			Scenario.of("cancelled-timer", LoopScenarios::cancelledTimer),
			Scenario.of("subprocess-exit-code-no-pipes", ProcessScenarios::subprocessExitCodeNoPipes),
			Scenario.of("subprocess-pipes-close-then-exit", ProcessScenarios::subprocessPipesCloseThenExit),
			Scenario.of("subprocess-kill-terminate-signal", ProcessScenarios::subprocessKillTerminateSignal),
			Scenario.of("subprocess-close-while-running", ProcessScenarios::subprocessCloseWhileRunning),
			Scenario.of("subprocess-close-after-exit", ProcessScenarios::subprocessCloseAfterExit),
			Scenario.of("read-pipe-data-then-eof", PipeScenarios::readPipeDataThenEof),
			Scenario.of("read-pipe-eof-true-still-closes", PipeScenarios::readPipeEofTrueStillCloses),
			Scenario.of("read-pipe-pause-resume", PipeScenarios::readPipePauseResume),
			Scenario.of("write-pipe-write-eof-closes", PipeScenarios::writePipeWriteEofCloses),
			Scenario.of("write-pipe-reader-closed", PipeScenarios::writePipeReaderClosed)
				.differs("a write pipe cannot see its reader leave: Java's selector takes no read interest on a "
						+ "pipe's write end (CPython's does, and gets the error event), so the pipe ends at the next "
						+ "write, with a broken-pipe error instead of connection_lost(None)"));

}
