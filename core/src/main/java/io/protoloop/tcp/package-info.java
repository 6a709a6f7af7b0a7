/**
 * Stream sockets: TCP and Unix domain sockets share one transport, one server and one connector, since both are
 * {@link java.nio.channels.SocketChannel}s.
 */
package io.protoloop.tcp;
