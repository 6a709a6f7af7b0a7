"""Asyncio echo server for the Protoloop interoperability tests.

Usage: echo_server.py

Listens on 127.0.0.1 with port 0 (loop.create_server, small socket buffers) and prints the port as its first
stdout line. Serves one connection: echoes every byte (pausing reading while its writing is paused); on
eof_received it writes the trailer

    END bytes=N sha256=HEX\n

(what it received), then write_eof() and close(), returning True so asyncio leaves the closing to us. Once the
connection is lost it prints

    RESULT received=N sha256=HEX events=a,b,c lost_exc=NAME

and exits 0 (exit code 2 on a timeout or an error, 3 if asyncio's exception handler was called). Standard
library only.
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


class EchoServer(asyncio.Protocol):

    def __init__(self, done):
        self.done = done
        self.transport = None
        self.count = 0
        self.digest = hashlib.sha256()
        self.events = []
        self.lost_exc = None

    def connection_made(self, transport):
        self.events.append("made")
        self.transport = transport

    def data_received(self, data):
        if not self.events or self.events[-1] != "data":
            self.events.append("data")
        self.count += len(data)
        self.digest.update(data)
        self.transport.write(data)

    def pause_writing(self):
        # Backpressure, the asyncio way: stop reading while the peer does not take our echo.
        self.transport.pause_reading()

    def resume_writing(self):
        self.transport.resume_reading()

    def eof_received(self):
        self.events.append("eof")
        trailer = "END bytes=%d sha256=%s\n" % (self.count, self.digest.hexdigest())
        self.transport.write(trailer.encode("ascii"))
        self.transport.write_eof()
        self.events.append("write_eof")
        self.transport.close()  # flushes the echo and the trailer first
        return True

    def connection_lost(self, exc):
        self.events.append("lost")
        self.lost_exc = exc
        if not self.done.done():
            self.done.set_result(self)


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
    server = await loop.create_server(lambda: EchoServer(done), sock=listening_socket())
    print(server.sockets[0].getsockname()[1], flush=True)
    protocol = await done
    server.close()  # no wait_closed(): its semantics changed across 3.x releases; the connection is gone
    print("RESULT received=%d sha256=%s events=%s lost_exc=%s" % (
        protocol.count, protocol.digest.hexdigest(), ",".join(protocol.events),
        type(protocol.lost_exc).__name__ if protocol.lost_exc else "None"), flush=True)


if __name__ == "__main__":
    try:
        asyncio.run(asyncio.wait_for(main(), OVERALL_TIMEOUT))
    except BaseException as ex:
        print("echo_server failed: %r" % (ex,), file=sys.stderr, flush=True)
        raise SystemExit(2)
    if LOOP_ERRORS:
        print("asyncio exception handler was called: %r" % (LOOP_ERRORS,), file=sys.stderr, flush=True)
        raise SystemExit(3)
