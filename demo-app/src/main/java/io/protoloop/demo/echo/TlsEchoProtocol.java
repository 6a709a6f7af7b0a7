package io.protoloop.demo.echo;

import io.protoloop.boot.ProtocolEndpoint;

/**
 * The echo protocol again, over TLS: the endpoint's {@code ssl.bundle} makes every connection TLS, and the
 * protocol never knows; it sees the decrypted bytes and writes plain ones.
 */
@ProtocolEndpoint("echo-tls")
public class TlsEchoProtocol extends EchoProtocol {

}
