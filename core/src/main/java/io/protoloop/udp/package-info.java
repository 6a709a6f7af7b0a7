/** Datagram (UDP) endpoints: one transport and one protocol serve every peer of an endpoint. */
package io.protoloop.udp;
