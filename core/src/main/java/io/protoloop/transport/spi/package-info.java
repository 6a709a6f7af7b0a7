/**
 * For implementing transports: the lifecycle every transport shares
 * ({@link io.protoloop.transport.spi.AbstractTransport}), write-buffer accounting and flow control. The socket
 * transports, the test kit's in-memory transports and the layered transports (TLS, pipes) are all built on it, so
 * they follow the same rules. Applications do not need it.
 */
package io.protoloop.transport.spi;
