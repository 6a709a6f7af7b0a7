"""Asyncio echo client for the Protoloop interoperability tests.

Usage: echo_client.py HOST PORT SIZE SEED

Connects with loop.create_connection (on a socket with small buffers), sends SIZE pseudo-random bytes (from
SEED) in several writes, then half-closes with write_eof() and collects the echo until the server's EOF. Prints
one line:

    RESULT sent=N sent_sha256=HEX received=N received_sha256=HEX eof_received=BOOL events=a,b,c lost_exc=NAME

and exits 0 once the connection is lost (exit code 2 on a timeout or an error, 3 if asyncio's exception
handler was called). Standard library only.
"""

import asyncio
import hashlib
import random
import socket
import sys

OVERALL_TIMEOUT = 30

# Small socket buffers, so a megabyte cannot vanish into the kernel: both ends buffer, pause and resume.
SOCKET_BUFFER = 16 * 1024

# What asyncio passed to the loop's exception handler: any entry fails the run (exit code 3).
LOOP_ERRORS = []


class EchoClient(asyncio.Protocol):

    def __init__(self, payload, done):
        self.payload = payload
        self.done = done
        self.received = bytearray()
        self.events = []
        self.eof_received_seen = False
        self.lost_exc = None

    def connection_made(self, transport):
        self.events.append("made")
        # Several writes of uneven sizes, then a half-close: the server sees our EOF only after every byte.
        rng = random.Random(len(self.payload))
        offset = 0
        while offset < len(self.payload):
            size = rng.randint(1, 96 * 1024)
            transport.write(self.payload[offset:offset + size])
            offset += size
        transport.write_eof()
        self.events.append("write_eof")

    def data_received(self, data):
        if not self.events or self.events[-1] != "data":
            self.events.append("data")
        self.received += data

    def eof_received(self):
        self.events.append("eof")
        self.eof_received_seen = True
        return False  # asyncio closes the transport, then calls connection_lost(None)

    def connection_lost(self, exc):
        self.events.append("lost")
        self.lost_exc = exc
        if not self.done.done():
            self.done.set_result(None)


async def main(host, port, size, seed):
    payload = random.Random(seed).getrandbits(8 * size).to_bytes(size, "little")
    loop = asyncio.get_running_loop()
    loop.set_exception_handler(lambda _, context: LOOP_ERRORS.append(context))
    done = loop.create_future()
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, SOCKET_BUFFER)  # before connecting: sets the window
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, SOCKET_BUFFER)
    sock.setblocking(False)
    await loop.sock_connect(sock, (host, port))
    _, protocol = await loop.create_connection(lambda: EchoClient(payload, done), sock=sock)
    await done
    print("RESULT sent=%d sent_sha256=%s received=%d received_sha256=%s eof_received=%s events=%s lost_exc=%s"
          % (
        len(payload), hashlib.sha256(payload).hexdigest(),
        len(protocol.received), hashlib.sha256(protocol.received).hexdigest(),
        "true" if protocol.eof_received_seen else "false", ",".join(protocol.events),
        type(protocol.lost_exc).__name__ if protocol.lost_exc else "None"), flush=True)


if __name__ == "__main__":
    host, port, size, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    try:
        asyncio.run(asyncio.wait_for(main(host, port, size, seed), OVERALL_TIMEOUT))
    except BaseException as ex:
        print("echo_client failed: %r" % (ex,), file=sys.stderr, flush=True)
        raise SystemExit(2)
    if LOOP_ERRORS:
        print("asyncio exception handler was called: %r" % (LOOP_ERRORS,), file=sys.stderr, flush=True)
        raise SystemExit(3)
