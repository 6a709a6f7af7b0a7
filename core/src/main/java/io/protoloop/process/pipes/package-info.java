/**
 * The pipe and child-process transports, not API: {@link io.protoloop.process.pipes.ReadPipe} and
 * {@link io.protoloop.process.pipes.WritePipe} over a {@link io.protoloop.process.pipes.PipeSource} or
 * {@link io.protoloop.process.pipes.PipeSink} (a selectable channel in {@code io.protoloop.nio}, or a pump
 * thread over a blocking Java stream here), and {@link io.protoloop.process.pipes.ProcessTransport}, which owns
 * the pipes of a child's standard streams. The pumps are the only code in Protoloop that blocks.
 */
package io.protoloop.process.pipes;
