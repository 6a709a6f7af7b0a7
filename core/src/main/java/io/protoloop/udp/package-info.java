/**
 * Datagram endpoints, UDP and Unix domain: their options. One transport and one protocol serve every peer of an
 * endpoint; the event loop creates them ({@link io.protoloop.loop.TransportFactory}).
 */
package io.protoloop.udp;
