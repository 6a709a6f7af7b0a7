"""Asyncio server that half-closes first, for the Protoloop interoperability tests.

Usage: eof_first_server.py

Listens on 127.0.0.1 with port 0 (loop.create_server, small socket buffers) and prints the port as its first
stdout line. Serves one connection: connection_made writes the greeting

    HELLO FROM ASYNCIO\n

and calls write_eof() at once, so the peer gets EOF while this side keeps reading. Whatever arrives afterwards
is counted; on eof_received (returning True) it prints

    RESULT received=N sha256=HEX events=a,b,c

(the events show that every byte came after our own write_eof), closes the transport and, once the connection
is lost, exits 0 (exit code 2 on a timeout or an error, 3 if asyncio's exception handler was called).
Standard library only.
"""

import asyncio
import hashlib
import socket
import sys

OVERALL_TIMEOUT = 30

# Small socket buffers, so a megabyte cannot vanish into the kernel: both ends buffer, pause and resume.
SOCKET_BUFFER = 16 * 1024

# What asyncio passed to the loop's exception handler: any entry fails the run (exit code 3).
LOOP_ERRORS = []

GREETING = b"HELLO FROM ASYNCIO\n"


class EofFirstServer(asyncio.Protocol):

    def __init__(self, done):
        self.done = done
        self.transport = None
        self.count = 0
        self.digest = hashlib.sha256()
        self.events = []

    def connection_made(self, transport):
        self.events.append("made")
        self.transport = transport
        transport.write(GREETING)
        transport.write_eof()
        self.events.append("write_eof")

    def data_received(self, data):
        if not self.events or self.events[-1] != "data":
            self.events.append("data")
        self.count += len(data)
        self.digest.update(data)

    def eof_received(self):
        self.events.append("eof")
        # Reported before closing, so the peer can wait for this line while its transport is still open.
        print("RESULT received=%d sha256=%s events=%s" % (
            self.count, self.digest.hexdigest(), ",".join(self.events)), flush=True)
        self.transport.close()
        return True

    def connection_lost(self, exc):
        if not self.done.done():
            self.done.set_result(exc)


def listening_socket():
    """Returns a socket bound to 127.0.0.1, port 0, whose small buffers the accepted socket inherits."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, SOCKET_BUFFER)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, SOCKET_BUFFER)
    sock.bind(("127.0.0.1", 0))
    return sock


async def main():
    loop = asyncio.get_running_loop()
    loop.set_exception_handler(lambda _, context: LOOP_ERRORS.append(context))
    done = loop.create_future()
    server = await loop.create_server(lambda: EofFirstServer(done), sock=listening_socket())
    print(server.sockets[0].getsockname()[1], flush=True)
    exc = await done
    server.close()  # no wait_closed(): its semantics changed across 3.x releases; the connection is gone
    if exc is not None:
        raise exc


if __name__ == "__main__":
    try:
        asyncio.run(asyncio.wait_for(main(), OVERALL_TIMEOUT))
    except BaseException as ex:
        print("eof_first_server failed: %r" % (ex,), file=sys.stderr, flush=True)
        raise SystemExit(2)
    if LOOP_ERRORS:
        print("asyncio exception handler was called: %r" % (LOOP_ERRORS,), file=sys.stderr, flush=True)
        raise SystemExit(3)
