/**
 * TLS as a layer, after CPython's {@code sslproto.py}: {@link io.protoloop.tls.layer.SslProtocol} is the
 * protocol of the plain transport and owns the {@link javax.net.ssl.SSLEngine};
 * {@link io.protoloop.tls.layer.SslTransport} is the transport it hands the application protocol. Works over any
 * stream transport (sockets, the test kit's memory).
 */
package io.protoloop.tls.layer;
