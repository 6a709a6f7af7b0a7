package io.protoloop.process;

/**
 * How one standard stream of a child process is connected, asyncio's {@code stdin=}, {@code stdout=} and
 * {@code stderr=} arguments.
 */
public enum Stdio {

	/** A pipe to the parent, served by a pipe transport: asyncio's {@code subprocess.PIPE}. */
	PIPE,

	/** The parent's own stream, shared with the child: asyncio's {@code None}. */
	INHERIT,

	/** Nothing: the child reads an empty stream or its output is thrown away, asyncio's {@code DEVNULL}. */
	DISCARD,

	/** For stderr only: the child's error output goes where its standard output goes, asyncio's {@code STDOUT}. */
	STDOUT

}
