/**
 * Stream sockets, TCP and Unix domain: the options of servers and connections. The transports themselves are
 * created by the event loop ({@link io.protoloop.loop.TransportFactory}).
 */
package io.protoloop.tcp;
