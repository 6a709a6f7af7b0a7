"""Asyncio datagram client for the Protoloop interoperability tests.

Usage: udp_client.py HOST PORT SEED SIZE...

Opens a connected datagram endpoint (loop.create_datagram_endpoint with remote_addr) to HOST:PORT, an echo
server, and sends one pseudo-random datagram (from SEED) of each SIZE in turn, waiting for its echo before the
next, so that nothing can overflow a receive buffer. Each echo must come from HOST:PORT and equal what was
sent. Then it closes its transport and, once the connection is lost, prints one line:

    RESULT sent=N echoed=N mismatches=N sizes=a,b,c sha256=HEX,HEX,... sockname=IP:PORT errors=N extra=N
        empty_via=HOW

(on one line: sha256 lists the digest of each datagram sent; sockname is the endpoint's own address; extra
counts datagrams beyond the echoes; empty_via says how an empty datagram went out, see send(), or "none") and
exits 0 (exit code 2 on a timeout, an error_received or any other error, 3 if asyncio's exception handler was
called). Standard library only.
"""

import asyncio
import hashlib
import random
import socket
import sys

OVERALL_TIMEOUT = 30

# What asyncio passed to the loop's exception handler: any entry fails the run (exit code 3).
LOOP_ERRORS = []

# CPython before 3.13 silently drops an empty datagram in DatagramTransport.sendto (gh-113812).
TRANSPORT_SENDS_EMPTY_DATAGRAMS = sys.version_info >= (3, 13)


class EchoClient(asyncio.DatagramProtocol):

    def __init__(self, lost):
        self.lost = lost
        self.transport = None
        self.datagrams = asyncio.Queue()
        self.errors = []

    def connection_made(self, transport):
        self.transport = transport

    def datagram_received(self, data, addr):
        self.datagrams.put_nowait((data, addr))

    def error_received(self, exc):
        self.errors.append(exc)
        self.datagrams.put_nowait((exc, None))  # wakes main(), which fails at once

    def connection_lost(self, exc):
        if not self.lost.done():
            self.lost.set_result(exc)


def send(transport, data):
    """Sends data to the endpoint's peer and returns how: "transport", or "socket" for an empty datagram the
    transport would drop, sent on a duplicate of the endpoint's own socket (same address and peer). Nothing is
    buffered (one datagram at a time), so that cannot overtake anything."""
    if data or TRANSPORT_SENDS_EMPTY_DATAGRAMS:
        transport.sendto(data)
        return "transport"
    assert transport.get_write_buffer_size() == 0
    endpoint_socket = transport.get_extra_info("socket")
    with socket.fromfd(endpoint_socket.fileno(), endpoint_socket.family, endpoint_socket.type) as duplicate:
        duplicate.send(data)
    return "socket"


def payload(rng, size):
    return rng.getrandbits(8 * size).to_bytes(size, "little") if size else b""


async def main(host, port, seed, sizes):
    loop = asyncio.get_running_loop()
    loop.set_exception_handler(lambda _, context: LOOP_ERRORS.append(context))
    lost = loop.create_future()
    transport, protocol = await loop.create_datagram_endpoint(lambda: EchoClient(lost), remote_addr=(host, port))
    rng = random.Random(seed)
    digests = []
    echoed = 0
    mismatches = 0
    empty_via = "none"
    for size in sizes:
        data = payload(rng, size)
        digests.append(hashlib.sha256(data).hexdigest())
        how = send(transport, data)
        if not data:
            empty_via = how
        echo, sender = await protocol.datagrams.get()
        if isinstance(echo, Exception):
            raise echo
        echoed += 1
        if echo != data or sender[:2] != (host, port):
            mismatches += 1
            print("mismatch: sent %d bytes, got %d from %r" % (len(data), len(echo), sender), file=sys.stderr)
    sockname = transport.get_extra_info("sockname")
    transport.close()
    exc = await lost
    if exc is not None:
        raise exc
    print("RESULT sent=%d echoed=%d mismatches=%d sizes=%s sha256=%s sockname=%s:%d errors=%d extra=%d "
          "empty_via=%s" % (
        len(sizes), echoed, mismatches, ",".join(map(str, sizes)), ",".join(digests), sockname[0], sockname[1],
        len(protocol.errors), protocol.datagrams.qsize(), empty_via), flush=True)


if __name__ == "__main__":
    host, port, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    sizes = [int(size) for size in sys.argv[4:]]
    try:
        asyncio.run(asyncio.wait_for(main(host, port, seed, sizes), OVERALL_TIMEOUT))
    except BaseException as ex:
        print("udp_client failed: %r" % (ex,), file=sys.stderr, flush=True)
        raise SystemExit(2)
    if LOOP_ERRORS:
        print("asyncio exception handler was called: %r" % (LOOP_ERRORS,), file=sys.stderr, flush=True)
        raise SystemExit(3)
