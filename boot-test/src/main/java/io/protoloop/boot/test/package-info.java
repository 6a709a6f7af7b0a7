/**
 * Testing an application's protocols over real sockets: the {@link io.protoloop.boot.test.ProtocolEndpointTest}
 * slice, which starts only Protoloop and the application's endpoints on free ports, and the blocking
 * {@link io.protoloop.boot.test.EndpointClients} that talk to them by endpoint name.
 */
package io.protoloop.boot.test;
