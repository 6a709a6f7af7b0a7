"""Asyncio datagram echo server for the Protoloop interoperability tests.

Usage: udp_echo_server.py COUNT [PORT]

Opens a datagram endpoint (loop.create_datagram_endpoint with local_addr) on 127.0.0.1, port PORT (default 0:
any free port), and prints the port as its first stdout line. Echoes each datagram to its sender with
transport.sendto(data, addr); after the COUNT-th it closes its transport and, once the connection is lost (the
socket is closed), prints

    RESULT received=N sizes=a,b,c sha256=HEX,HEX,... senders=IP:PORT,IP:PORT,... errors=N empty_via=HOW

(one entry per datagram, in order; empty_via says how an empty echo went out, see echo(), or "none") and exits
0 (exit code 2 on a timeout or an error, 3 if asyncio's exception handler was called). Standard library only.
"""

import asyncio
import hashlib
import socket
import sys

OVERALL_TIMEOUT = 30

# What asyncio passed to the loop's exception handler: any entry fails the run (exit code 3).
LOOP_ERRORS = []

# CPython before 3.13 silently drops an empty datagram in DatagramTransport.sendto (gh-113812).
TRANSPORT_SENDS_EMPTY_DATAGRAMS = sys.version_info >= (3, 13)


class EchoServer(asyncio.DatagramProtocol):

    def __init__(self, count, lost):
        self.count = count
        self.lost = lost
        self.transport = None
        self.sizes = []
        self.digests = []
        self.senders = []
        self.errors = []
        self.empty_via = "none"

    def connection_made(self, transport):
        self.transport = transport

    def datagram_received(self, data, addr):
        if self.transport.is_closing():
            return
        self.sizes.append(len(data))
        self.digests.append(hashlib.sha256(data).hexdigest())
        self.senders.append("%s:%d" % addr[:2])
        how = echo(self.transport, data, addr)
        if not data:
            self.empty_via = how
        if len(self.sizes) == self.count:
            self.transport.close()  # sends what is buffered first; nothing is, with one datagram at a time

    def error_received(self, exc):
        self.errors.append(exc)
        print("error_received: %r" % (exc,), file=sys.stderr, flush=True)

    def connection_lost(self, exc):
        if not self.lost.done():
            self.lost.set_result(exc)


def echo(transport, data, addr):
    """Sends data to addr and returns how: "transport", or "socket" for an empty datagram the transport would
    drop, sent on a duplicate of the endpoint's own socket (same address). Nothing is buffered (the peer sends one
    datagram at a time), so that cannot overtake anything."""
    if data or TRANSPORT_SENDS_EMPTY_DATAGRAMS:
        transport.sendto(data, addr)
        return "transport"
    assert transport.get_write_buffer_size() == 0
    endpoint_socket = transport.get_extra_info("socket")
    with socket.fromfd(endpoint_socket.fileno(), endpoint_socket.family, endpoint_socket.type) as duplicate:
        duplicate.sendto(data, addr)
    return "socket"


async def main(count, port):
    loop = asyncio.get_running_loop()
    loop.set_exception_handler(lambda _, context: LOOP_ERRORS.append(context))
    lost = loop.create_future()
    transport, protocol = await loop.create_datagram_endpoint(lambda: EchoServer(count, lost),
                                                              local_addr=("127.0.0.1", port))
    print(transport.get_extra_info("sockname")[1], flush=True)
    exc = await lost
    # connection_lost runs just before asyncio closes the socket, in the same callback: by now it is closed.
    if exc is not None:
        raise exc
    print("RESULT received=%d sizes=%s sha256=%s senders=%s errors=%d empty_via=%s" % (
        len(protocol.sizes), ",".join(map(str, protocol.sizes)), ",".join(protocol.digests),
        ",".join(protocol.senders), len(protocol.errors), protocol.empty_via), flush=True)


if __name__ == "__main__":
    count = int(sys.argv[1])
    port = int(sys.argv[2]) if len(sys.argv) > 2 else 0
    try:
        asyncio.run(asyncio.wait_for(main(count, port), OVERALL_TIMEOUT))
    except BaseException as ex:
        print("udp_echo_server failed: %r" % (ex,), file=sys.stderr, flush=True)
        raise SystemExit(2)
    if LOOP_ERRORS:
        print("asyncio exception handler was called: %r" % (LOOP_ERRORS,), file=sys.stderr, flush=True)
        raise SystemExit(3)
