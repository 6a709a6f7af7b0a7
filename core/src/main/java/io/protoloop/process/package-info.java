/**
 * Child processes and pipes: how a child's standard streams are connected ({@link io.protoloop.process.Stdio}),
 * the options of {@code subprocessExec} and {@code subprocessShell}, and the signal numbers. The event loop
 * creates the transports ({@link io.protoloop.loop.TransportFactory}); they are implemented in
 * {@code io.protoloop.process.pipes}.
 */
package io.protoloop.process;
