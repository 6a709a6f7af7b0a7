"""The Python half of the differential oracle: trace recording, tracing protocols and loopback peers.

Each scenario in scenarios.py is a function (loop, t) that drives a fresh event loop and calls t(event, *args)
for each protocol callback and observable result. The Java half (io.protoloop.oracle in the core tests) mirrors
every class here with the same names in camelCase; the JUnit test compares the two traces after normalising
chunking and naming. Standard library only; Python 3.8 or later.
"""

import asyncio
import socket
import struct
import threading

#: Bound on every wait, in seconds.
TIMEOUT = 5.0

#: Socket buffer size for the scenarios that need the kernel buffers full (the kernel doubles it).
SMALL = 4096

#: Written first by the flow-control scenarios: more than the small kernel buffers can take.
FILLER = 1024 * 1024

#: A short pause on the loop's own clock, for "nothing happened meanwhile" checks.
SHORT = 0.05


class Boom(Exception):
    """What a scenario's callback raises on purpose (Java: Boom extends RuntimeException)."""


def quote(data):
    out = []
    for c in bytes(data):
        ch = chr(c)
        out.append(ch if 32 <= c < 127 and ch not in "'\\" else '\\x%02x' % c)
    return "'" + ''.join(out) + "'"


def fmt(value):
    if value is None or isinstance(value, (bool, int)):
        return str(value)
    if isinstance(value, (bytes, bytearray, memoryview)):
        return quote(value)
    if isinstance(value, BaseException):
        return type(value).__name__
    if isinstance(value, type) and issubclass(value, BaseException):
        return value.__name__
    return str(value)


class Trace:
    """Prints each event as a line as it happens, so a hung scenario still shows how far it got."""

    def __call__(self, event, *args):
        print(' '.join([event] + [fmt(a) for a in args]), flush=True)

    def handler(self, loop, context):
        """The loop's exception handler: only the kind of exception is compared, not the message."""
        self('exception_handler', context.get('exception'))

    def wait(self, loop, awaitable):
        """Runs the loop until awaitable is done, at most TIMEOUT seconds; returns its result."""
        return loop.run_until_complete(asyncio.wait_for(awaitable, TIMEOUT))

    def outcome(self, label, fn, *args):
        """Calls fn(*args) and traces 'label ok' or 'label <ExceptionKind>'."""
        try:
            fn(*args)
            self(label, 'ok')
        except Exception as exc:
            self(label, exc)

    def peer(self, peer):
        """Traces what a TCP peer received (byte count, the last 32 bytes) and how its stream ended."""
        data, end = peer.result()
        self('peer_received', len(data), data[-32:], end)


class TracingProtocol(asyncio.Protocol):
    """Traces every callback; scenarios subclass it and override the on_* hooks."""

    keep_open = False

    def __init__(self, t, loop, name=None):
        self.t = t
        self.loop = loop
        self.prefix = (name + '.') if name else ''
        self.transport = None
        self.lost = loop.create_future()

    def connection_made(self, transport):
        self.transport = transport
        self.t(self.prefix + 'connection_made')
        self.on_made(transport)

    def data_received(self, data):
        self.t(self.prefix + 'data_received', data)
        self.on_data(data)

    def eof_received(self):
        self.t(self.prefix + 'eof_received')
        return self.on_eof()

    def connection_lost(self, exc):
        self.t(self.prefix + 'connection_lost', exc)
        if not self.lost.done():
            self.lost.set_result(None)
        self.on_lost(exc)

    def pause_writing(self):
        self.t(self.prefix + 'pause_writing')
        self.on_pause()

    def resume_writing(self):
        self.t(self.prefix + 'resume_writing')
        self.on_resume()

    def on_made(self, transport):
        pass

    def on_data(self, data):
        pass

    def on_eof(self):
        return self.keep_open

    def on_lost(self, exc):
        pass

    def on_pause(self):
        pass

    def on_resume(self):
        pass


class TracingBufferedProtocol(asyncio.BufferedProtocol):
    """Traces a BufferedProtocol's callbacks; get_buffer hands out a buffer of `size` bytes."""

    size = 64

    def __init__(self, t, loop):
        self.t = t
        self.loop = loop
        self.transport = None
        self.lost = loop.create_future()
        self.received = bytearray()
        self.buffer = None

    def connection_made(self, transport):
        self.transport = transport
        self.t('connection_made')

    def get_buffer(self, sizehint):
        self.t('get_buffer', sizehint)
        self.buffer = bytearray(self.size)
        return self.buffer

    def buffer_updated(self, nbytes):
        self.t('buffer_updated', nbytes)
        self.received += self.buffer[:nbytes]
        self.on_updated(nbytes)

    def eof_received(self):
        self.t('eof_received')
        self.t('received', bytes(self.received))
        return self.on_eof()

    def connection_lost(self, exc):
        self.t('connection_lost', exc)
        if not self.lost.done():
            self.lost.set_result(None)

    def on_updated(self, nbytes):
        pass

    def on_eof(self):
        return False


class TracingDatagramProtocol(asyncio.DatagramProtocol):
    """Traces a datagram endpoint's callbacks; `got` completes at the first datagram or error."""

    def __init__(self, t, loop):
        self.t = t
        self.loop = loop
        self.transport = None
        self.lost = loop.create_future()
        self.events = asyncio.Queue()

    def connection_made(self, transport):
        self.transport = transport
        self.t('connection_made')

    def datagram_received(self, data, addr):
        self.t('datagram_received', data)
        self.events.put_nowait(('datagram', data, addr))
        self.on_datagram(data, addr)

    def error_received(self, exc):
        self.t('error_received', exc)
        self.events.put_nowait(('error', exc, None))
        self.on_error(exc)

    def connection_lost(self, exc):
        self.t('connection_lost', exc)
        if not self.lost.done():
            self.lost.set_result(None)

    def next_event(self):
        return self.events.get()

    def on_datagram(self, data, addr):
        pass

    def on_error(self, exc):
        pass


class TracingSubprocessProtocol(asyncio.SubprocessProtocol):
    """Traces a child's callbacks: each pipe's data under 'fd<N>.', and process_exited with exit_status()."""

    def __init__(self, t, loop):
        self.t = t
        self.loop = loop
        self.transport = None
        self.lost = loop.create_future()

    def connection_made(self, transport):
        self.transport = transport
        self.t('connection_made')
        self.on_made(transport)

    def pipe_data_received(self, fd, data):
        self.t('fd%d.pipe_data_received' % fd, data)

    def pipe_connection_lost(self, fd, exc):
        self.t('pipe_connection_lost', fd, exc)
        self.on_pipe_lost(fd, exc)

    def process_exited(self):
        self.t('process_exited', exit_status(self.transport.get_returncode()))
        self.on_exited()

    def connection_lost(self, exc):
        self.t('connection_lost', exc)
        if not self.lost.done():
            self.lost.set_result(None)

    def on_made(self, transport):
        pass

    def on_pipe_lost(self, fd, exc):
        pass

    def on_exited(self):
        pass


def exit_status(returncode):
    """'exit N', or 'signal N' for a child killed by signal N (asyncio: -N; Java: 128 + N)."""
    if returncode is None:
        return 'running'
    if returncode < 0:
        return 'signal %d' % -returncode
    return 'exit %d' % returncode


class Peer:
    """The other end of a TCP connection: a plain blocking socket. Sends are small and never block the loop;
    reading happens on a thread of its own (start_reading), until EOF, a reset or TIMEOUT."""

    def __init__(self, sock):
        self.sock = sock
        self.sock.settimeout(TIMEOUT)
        self.data = bytearray()
        self.end = None
        self.thread = None
        self.on_eof = None

    @staticmethod
    def pair(small=False):
        """Returns (peer, subject socket): a connected loopback pair; small shrinks the peer's receive and the
        subject's send buffers so that a megabyte written stays mostly in the transport's buffer."""
        listener = socket.create_server(('127.0.0.1', 0))
        try:
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            if small:
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, SMALL)
            sock.connect(listener.getsockname())
            subject, _ = listener.accept()
        finally:
            listener.close()
        if small:
            subject.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, SMALL)
        return Peer(sock), subject

    def send(self, data):
        self.sock.sendall(data)

    def shutdown(self):
        self.sock.shutdown(socket.SHUT_WR)

    def reset(self):
        """Closes with SO_LINGER 0: the subject sees a reset."""
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack('ii', 1, 0))
        self.sock.close()

    def start_reading(self, on_eof=None):
        """Reads until the stream ends; on EOF, on_eof(peer, data) may answer (send, then the peer closes)."""
        self.on_eof = on_eof
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self):
        try:
            while True:
                chunk = self.sock.recv(65536)
                if not chunk:
                    self.end = 'eof'
                    if self.on_eof is not None:
                        self.on_eof(self, bytes(self.data))
                        self.sock.close()
                    return
                self.data += chunk
        except ConnectionResetError:
            self.end = 'reset'
        except socket.timeout:
            self.end = 'timeout'
        except OSError as exc:
            self.end = type(exc).__name__

    def result(self):
        """Waits for the reading thread; returns (bytes received, 'eof' | 'reset' | 'timeout' | ...)."""
        if self.thread is None:
            self.start_reading()
        self.thread.join(TIMEOUT + 1)
        try:
            self.sock.close()
        except OSError:
            pass
        return bytes(self.data), self.end


class Listener:
    """A plain listening socket on loopback, for scenarios where the subject connects."""

    def __init__(self):
        self.sock = socket.create_server(('127.0.0.1', 0))
        self.sock.settimeout(TIMEOUT)
        self.port = self.sock.getsockname()[1]

    def accept(self):
        sock, _ = self.sock.accept()
        self.sock.close()
        return Peer(sock)


class UdpPeer:
    """A plain UDP socket on loopback."""

    def __init__(self):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(('127.0.0.1', 0))
        self.sock.settimeout(TIMEOUT)
        self.addr = self.sock.getsockname()

    def sendto(self, data, addr):
        self.sock.sendto(data, addr)

    def recv(self):
        """The next non-empty datagram (empty ones are skipped: whether they are sent depends on the version)."""
        while True:
            try:
                data, _ = self.sock.recvfrom(65536)
            except socket.timeout:
                return 'timeout'
            if data:
                return data

    def close(self):
        self.sock.close()


def closed_port(kind=socket.SOCK_STREAM):
    """A loopback port nothing listens on (bound, then closed)."""
    sock = socket.socket(socket.AF_INET, kind)
    sock.bind(('127.0.0.1', 0))
    port = sock.getsockname()[1]
    sock.close()
    return port
