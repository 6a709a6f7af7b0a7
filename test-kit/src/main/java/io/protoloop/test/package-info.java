/**
 * In-memory transports for testing protocols without sockets, on the lifecycle every transport shares (core's
 * {@code AbstractTransport}) and checked by the same stream transport contract as the socket transports:
 * {@link io.protoloop.test.InMemoryTransport} and {@link io.protoloop.test.InMemoryDatagramTransport} let a
 * unit test drive one protocol synchronously, playing its peer; {@link io.protoloop.test.InMemoryServer} connects
 * a client and a server protocol to each other on a loop the test runs.
 */
package io.protoloop.test;
