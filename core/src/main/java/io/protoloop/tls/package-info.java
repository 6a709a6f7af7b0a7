/**
 * TLS for stream transports: {@link io.protoloop.tls.TlsOptions} turn a server, a connection or a live
 * transport ({@code startTls}) into a TLS one. The layer that does it lives in {@code io.protoloop.tls.layer}.
 */
package io.protoloop.tls;
