package io.protoloop.demo.echo;

import io.protoloop.boot.ProtocolEndpoint;

/** The echo protocol again, served on a Unix domain socket: each endpoint has a bean of its own. */
@ProtocolEndpoint("echo-unix")
public class UnixEchoProtocol extends EchoProtocol {

}
