/**
 * In-memory transports that let a unit test drive a protocol synchronously, playing the peer, without sockets.
 */
package io.protoloop.test;
