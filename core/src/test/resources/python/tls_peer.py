"""Asyncio TLS peer for the Protoloop TLS interoperability tests.

Usage:
    tls_peer.py server CERT_AND_KEY_PEM [TLSv1_2|TLSv1_3]
    tls_peer.py client PORT CA_PEM SIZE
    tls_peer.py starttls-server CERT_AND_KEY_PEM
    tls_peer.py starttls-client PORT CA_PEM SIZE

A server listens on 127.0.0.1, port 0, and prints the port as its first stdout line; it serves one connection,
echoing every byte over TLS (start_tls after a plaintext "STARTTLS\\n" / "GO AHEAD\\n" exchange for
starttls-server). A client connects to PORT, verifying the server's certificate for "localhost" against CA_PEM,
sends SIZE pseudo-random bytes (after the same exchange and start_tls for starttls-client), reads them back and
closes. Both print

    RESULT received=N sha256=HEX version=TLSv1.x lost_exc=NAME

and exit 0 (2 on a timeout or an error, 3 if asyncio's exception handler was called). Standard library only.
"""

import asyncio
import hashlib
import random
import ssl
import sys

OVERALL_TIMEOUT = 30
LOOP_ERRORS = []


def server_context(pem, version=None):
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(pem)
    if version == 'TLSv1_2':
        context.maximum_version = ssl.TLSVersion.TLSv1_2
    elif version == 'TLSv1_3':
        context.minimum_version = ssl.TLSVersion.TLSv1_3
    return context


def client_context(ca):
    context = ssl.create_default_context(cafile=ca)
    return context


def payload(size):
    return random.Random(size).randbytes(size)


class Echo(asyncio.Protocol):
    """Echoes over whatever transport it is given; with starttls, upgrades after the plaintext exchange."""

    def __init__(self, done, starttls_context=None):
        self.done = done
        self.starttls_context = starttls_context
        self.plain = b''
        self.received = 0
        self.digest = hashlib.sha256()
        self.transport = None
        # Echoes waiting for start_tls to return the TLS transport (None when not upgrading).
        self.held = None

    def connection_made(self, transport):
        self.transport = transport

    def data_received(self, data):
        if self.starttls_context is not None:
            self.plain += data
            if self.plain.endswith(b'STARTTLS\n'):
                context, self.starttls_context = self.starttls_context, None
                # start_tls runs in a later iteration: stop reading now, or the ClientHello may arrive as data.
                self.transport.pause_reading()
                self.transport.write(b'GO AHEAD\n')
                self.held = []
                asyncio.ensure_future(self.upgrade(context))
            return
        self.received += len(data)
        self.digest.update(data)
        if self.held is not None:
            # Data that came with the client's last handshake message reaches us in the same iteration as the
            # handshake's end, before start_tls returns: self.transport is still the plain one, so wait.
            self.held.append(data)
        else:
            self.transport.write(data)

    async def upgrade(self, context):
        loop = asyncio.get_running_loop()
        self.transport = await loop.start_tls(self.transport, self, context, server_side=True)
        held, self.held = self.held, None
        for data in held:
            self.transport.write(data)

    def eof_received(self):
        return False

    def connection_lost(self, exc):
        if not self.done.done():
            self.done.set_result(exc)


class Client(asyncio.Protocol):

    def __init__(self, done, expected):
        self.done = done
        self.expected = expected
        self.received = 0
        self.digest = hashlib.sha256()
        self.transport = None
        self.plain = asyncio.get_running_loop().create_future()
        self.plain_data = b''
        self.tls = False

    def connection_made(self, transport):
        self.transport = transport

    def data_received(self, data):
        if not self.tls:
            self.plain_data += data
            if self.plain_data.endswith(b'GO AHEAD\n') and not self.plain.done():
                self.plain.set_result(None)
            return
        self.received += len(data)
        self.digest.update(data)
        if self.received >= self.expected:
            self.transport.close()

    def eof_received(self):
        return False

    def connection_lost(self, exc):
        if not self.done.done():
            self.done.set_result(exc)


def version_of(transport):
    ssl_object = transport.get_extra_info('ssl_object')
    return ssl_object.version() if ssl_object else 'none'


async def serve(pem, version, starttls):
    loop = asyncio.get_running_loop()
    loop.set_exception_handler(lambda loop, context: LOOP_ERRORS.append(context.get('message')))
    done = loop.create_future()
    context = server_context(pem, version)
    protocols = []

    def factory():
        protocol = Echo(done, context if starttls else None)
        protocols.append(protocol)
        return protocol

    server = await loop.create_server(factory, '127.0.0.1', 0, ssl=None if starttls else context)
    print(server.sockets[0].getsockname()[1], flush=True)
    exc = await done
    protocol = protocols[0]
    report(protocol.received, protocol.digest, version_of(protocol.transport), exc)
    server.close()


async def connect(port, ca, size, starttls):
    loop = asyncio.get_running_loop()
    loop.set_exception_handler(lambda loop, context: LOOP_ERRORS.append(context.get('message')))
    done = loop.create_future()
    context = client_context(ca)
    data = payload(size)
    if starttls:
        transport, protocol = await loop.create_connection(lambda: Client(done, size), '127.0.0.1', port)
        transport.write(b'STARTTLS\n')
        await protocol.plain
        transport = await loop.start_tls(transport, protocol, context, server_hostname='localhost')
        protocol.transport = transport
        protocol.tls = True
    else:
        transport, protocol = await loop.create_connection(lambda: Client(done, size), '127.0.0.1', port,
                                                           ssl=context, server_hostname='localhost')
        protocol.tls = True
    version = version_of(transport)
    transport.write(data)
    exc = await done
    if protocol.digest.hexdigest() != hashlib.sha256(data).hexdigest():
        print('the echo differs from what was sent', file=sys.stderr)
        sys.exit(2)
    report(protocol.received, protocol.digest, version, exc)


def report(received, digest, version, exc):
    print('RESULT received=%d sha256=%s version=%s lost_exc=%s'
          % (received, digest.hexdigest(), version, type(exc).__name__ if exc else 'None'), flush=True)


def main():
    mode = sys.argv[1]
    if mode in ('server', 'starttls-server'):
        version = sys.argv[3] if len(sys.argv) > 3 else None
        job = serve(sys.argv[2], version, mode == 'starttls-server')
    else:
        job = connect(int(sys.argv[2]), sys.argv[3], int(sys.argv[4]), mode == 'starttls-client')
    try:
        asyncio.run(asyncio.wait_for(job, OVERALL_TIMEOUT))
    except Exception as exc:
        print('failed: %r' % (exc,), file=sys.stderr)
        sys.exit(2)
    if LOOP_ERRORS:
        print('exception handler called: %r' % (LOOP_ERRORS,), file=sys.stderr)
        sys.exit(3)


if __name__ == '__main__':
    main()
