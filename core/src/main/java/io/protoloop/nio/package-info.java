/**
 * The {@code java.nio} implementation: {@link io.protoloop.nio.SelectorEventLoop}, an event loop on a
 * {@link java.nio.channels.Selector}, {@link io.protoloop.nio.EventLoopGroup}, which runs several, and the
 * transports and servers over selectable channels (TCP, Unix domain sockets, datagrams), which are
 * package-private: applications reach them through the {@code io.protoloop.transport} interfaces.
 */
package io.protoloop.nio;
