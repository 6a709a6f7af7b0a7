"""The oracle's scenarios, Python side: python3 scenarios.py NAME [asyncio|uvloop] prints NAME's trace, then END.
python3 scenarios.py --list prints the names. Each function has a twin of the same name in camelCase in
io.protoloop.oracle.*Scenarios (core tests), written the same way against Protoloop's public API.
"""

import asyncio
import os
import signal
import socket
import subprocess
import sys
import traceback

from oracle_kit import (FILLER, SHORT, Boom, Listener, Peer, Trace, TracingBufferedProtocol,
                        TracingDatagramProtocol, TracingProtocol, TracingSubprocessProtocol, UdpPeer, closed_port,
                        exit_status)

SCENARIOS = {}


def scenario(name):
    def register(fn):
        SCENARIOS[name] = fn
        return fn
    return register


def accept(loop, t, protocol, small=False):
    """Connects a Peer to the subject: the subject's socket goes to connect_accepted_socket with protocol."""
    peer, sock = Peer.pair(small)
    transport, _ = t.wait(loop, loop.connect_accepted_socket(lambda: protocol, sock))
    return peer, transport


def fill(t, transport):
    """Writes FILLER bytes with a high mark that cannot be reached; returns what stayed in the buffer."""
    transport.set_write_buffer_limits(high=1 << 30)
    transport.write(b'f' * FILLER)
    buffered = transport.get_write_buffer_size()
    t('filled', buffered > 0)
    return buffered


# ---------------------------------------------------------------- connect and close orders

@scenario('client-write-close')
def client_write_close(loop, t):
    listener = Listener()

    class P(TracingProtocol):
        def on_made(self, tr):
            tr.write(b'hello')
            t('is_closing', tr.is_closing())
            tr.close()
            t('is_closing', tr.is_closing())
    p = P(t, loop)
    t.wait(loop, loop.create_connection(lambda: p, '127.0.0.1', listener.port))
    peer = listener.accept()
    peer.start_reading()
    t.wait(loop, p.lost)
    t.peer(peer)


@scenario('server-echo-then-eof')
def server_echo_then_eof(loop, t):
    made = loop.create_future()

    class P(TracingProtocol):
        def on_made(self, tr):
            made.set_result(self)

        def on_data(self, data):
            self.transport.write(data)
    server = t.wait(loop, loop.create_server(lambda: P(t, loop), '127.0.0.1', 0))
    port = server.sockets[0].getsockname()[1]
    peer = Peer(socket.create_connection(('127.0.0.1', port)))
    p = t.wait(loop, made)
    peer.send(b'ping')
    peer.shutdown()
    peer.start_reading()
    t.wait(loop, p.lost)
    t.peer(peer)
    server.close()
    t.wait(loop, server.wait_closed())
    t('server_closed')


@scenario('close-in-connection-made')
def close_in_connection_made(loop, t):
    class P(TracingProtocol):
        def on_made(self, tr):
            tr.close()
            t('close_returned', tr.is_closing())
    p = P(t, loop)
    peer, tr = accept(loop, t, p)
    peer.start_reading()
    t.wait(loop, p.lost)
    t.peer(peer)


@scenario('close-twice-then-abort')
def close_twice_then_abort(loop, t):
    class P(TracingProtocol):
        def on_made(self, tr):
            tr.close()
            tr.close()
            tr.abort()
            t('returned', tr.is_closing())
    p = P(t, loop)
    peer, tr = accept(loop, t, p)
    t.wait(loop, p.lost)
    loop.call_soon(t, 'next_iteration')
    t.wait(loop, asyncio.sleep(0))
    t.peer(peer)


@scenario('abort-in-data-received')
def abort_in_data_received(loop, t):
    class P(TracingProtocol):
        def on_data(self, data):
            self.transport.abort()
            t('abort_returned', self.transport.is_closing())
    p = P(t, loop)
    peer, tr = accept(loop, t, p)
    peer.send(b'abc')
    t.wait(loop, p.lost)
    t.peer(peer)


@scenario('peer-reset')
def peer_reset(loop, t):
    p = TracingProtocol(t, loop)
    peer, tr = accept(loop, t, p)
    peer.reset()
    t.wait(loop, p.lost)


@scenario('connect-refused')
def connect_refused(loop, t):
    port = closed_port()
    created = []

    def factory():
        created.append(1)
        return TracingProtocol(t, loop)
    try:
        t.wait(loop, loop.create_connection(factory, '127.0.0.1', port))
        t('connected')
    except OSError as exc:
        t('create_connection', exc)
    t('factory_called', bool(created))


@scenario('connect-localhost-refused-one-error')
def connect_localhost_refused_one_error(loop, t):
    port = closed_port()
    try:
        t.wait(loop, loop.create_connection(lambda: TracingProtocol(t, loop), 'localhost', port))
        t('connected')
    except OSError as exc:
        t('create_connection', exc)


@scenario('write-after-connection-lost')
def write_after_connection_lost(loop, t):
    p = TracingProtocol(t, loop)
    peer, tr = accept(loop, t, p)
    tr.close()
    t.wait(loop, p.lost)
    t.outcome('write', tr.write, b'late')
    t.outcome('write', tr.write, b'late')
    t('is_closing', tr.is_closing())
    t.peer(peer)


@scenario('extra-info')
def extra_info(loop, t):
    p = TracingProtocol(t, loop)
    peer, tr = accept(loop, t, p)
    t('peername_is_peer', tr.get_extra_info('peername')[:2] == peer.sock.getsockname()[:2])
    t('sockname_is_peers_peer', tr.get_extra_info('sockname')[:2] == peer.sock.getpeername()[:2])
    t('socket_present', tr.get_extra_info('socket') is not None)
    t('unknown_key', tr.get_extra_info('no-such-key', 'fallback'))
    t('unknown_key_no_default', tr.get_extra_info('no-such-key'))
    t('is_closing', tr.is_closing())
    t('is_reading', tr.is_reading())
    tr.close()
    t.wait(loop, p.lost)
    t.peer(peer)


@scenario('writelines-and-empty-write')
def writelines_and_empty_write(loop, t):
    p = TracingProtocol(t, loop)
    peer, tr = accept(loop, t, p)
    tr.writelines([b'ab', b'cd'])
    tr.write(b'')
    t('buffer_size', tr.get_write_buffer_size())
    tr.write(b'ef')
    tr.close()
    peer.start_reading()
    t.wait(loop, p.lost)
    t.peer(peer)


@scenario('set-protocol-switch')
def set_protocol_switch(loop, t):
    second = TracingProtocol(t, loop, 'second')

    class P(TracingProtocol):
        def on_data(self, data):
            self.transport.set_protocol(second)
            t('get_protocol_is_second', self.transport.get_protocol() is second)
            peer.send(b'two')
            peer.shutdown()
    p = P(t, loop, 'first')
    peer, tr = accept(loop, t, p)
    peer.send(b'one')
    t.wait(loop, second.lost)
    t('first_lost', p.lost.done())
    t.peer(peer)


# ---------------------------------------------------------------- half-close

@scenario('eof-received-false-closes')
def eof_received_false_closes(loop, t):
    p = TracingProtocol(t, loop)
    peer, tr = accept(loop, t, p)
    peer.send(b'abc')
    peer.shutdown()
    peer.start_reading()
    t.wait(loop, p.lost)
    t.peer(peer)


@scenario('eof-received-true-stays-open')
def eof_received_true_stays_open(loop, t):
    class P(TracingProtocol):
        keep_open = True

        def on_eof(self):
            loop.call_soon(self.later)
            return True

        def later(self):
            t('is_closing', self.transport.is_closing())
            t('is_reading', self.transport.is_reading())
            self.transport.write(b'late reply')
            self.transport.close()
    p = P(t, loop)
    peer, tr = accept(loop, t, p)
    peer.send(b'abc')
    peer.shutdown()
    peer.start_reading()
    t.wait(loop, p.lost)
    t.peer(peer)


def answer_on_eof(peer, data):
    peer.sock.sendall(b'got %d' % len(data))


@scenario('write-eof-then-peer-answers')
def write_eof_then_peer_answers(loop, t):
    listener = Listener()
    p = TracingProtocol(t, loop)
    tr, _ = t.wait(loop, loop.create_connection(lambda: p, '127.0.0.1', listener.port))
    peer = listener.accept()
    peer.start_reading(answer_on_eof)
    t('can_write_eof', tr.can_write_eof())
    tr.write(b'request')
    tr.write_eof()
    t('is_closing', tr.is_closing())
    t.wait(loop, p.lost)
    t.peer(peer)


@scenario('write-after-write-eof')
def write_after_write_eof(loop, t):
    p = TracingProtocol(t, loop)
    peer, tr = accept(loop, t, p)
    tr.write(b'abc')
    tr.write_eof()
    t.outcome('write', tr.write, b'x')
    t.outcome('write_eof_again', tr.write_eof)
    tr.close()
    t.wait(loop, p.lost)
    t.peer(peer)


@scenario('write-eof-flushes-buffer-first')
def write_eof_flushes_buffer_first(loop, t):
    p = TracingProtocol(t, loop)
    peer, tr = accept(loop, t, p, small=True)
    fill(t, tr)
    tr.write_eof()
    t('buffered_after_write_eof', tr.get_write_buffer_size() > 0)
    peer.start_reading(answer_on_eof)
    t.wait(loop, p.lost)
    t.peer(peer)


@scenario('both-sides-half-close')
def both_sides_half_close(loop, t):
    class P(TracingProtocol):
        def on_eof(self):
            loop.call_soon(self.later)
            return True

        def later(self):
            t('is_closing', self.transport.is_closing())
            self.transport.close()
    p = P(t, loop)
    peer, tr = accept(loop, t, p)
    tr.write(b'bye')
    tr.write_eof()
    peer.shutdown()
    peer.start_reading()
    t.wait(loop, p.lost)
    t.peer(peer)


# ---------------------------------------------------------------- write flow control

def limits(t, tr, label):
    low, high = tr.get_write_buffer_limits()
    t(label, low, high)


@scenario('write-buffer-limits-forms')
def write_buffer_limits_forms(loop, t):
    p = TracingProtocol(t, loop)
    peer, tr = accept(loop, t, p)
    limits(t, tr, 'default')
    tr.set_write_buffer_limits(high=100)
    limits(t, tr, 'high_only')
    tr.set_write_buffer_limits(high=100, low=100)
    limits(t, tr, 'equal')
    tr.set_write_buffer_limits(high=0)
    limits(t, tr, 'zero')
    tr.close()
    t.wait(loop, p.lost)


@scenario('write-buffer-limits-low-only-and-reset')
def write_buffer_limits_low_only_and_reset(loop, t):
    p = TracingProtocol(t, loop)
    peer, tr = accept(loop, t, p)
    tr.set_write_buffer_limits(low=10)
    limits(t, tr, 'low_only')
    tr.set_write_buffer_limits()
    limits(t, tr, 'no_arguments')
    tr.close()
    t.wait(loop, p.lost)


@scenario('write-buffer-limits-invalid')
def write_buffer_limits_invalid(loop, t):
    p = TracingProtocol(t, loop)
    peer, tr = accept(loop, t, p)
    t.outcome('low_over_high', tr.set_write_buffer_limits, 1, 2)
    t.outcome('negative_high', tr.set_write_buffer_limits, -1)
    t.outcome('negative_low', tr.set_write_buffer_limits, 10, -1)
    limits(t, tr, 'unchanged')
    tr.close()
    t.wait(loop, p.lost)


@scenario('pause-strictly-over-high')
def pause_strictly_over_high(loop, t):
    class P(TracingProtocol):
        def on_resume(self):
            self.transport.close()
    p = P(t, loop)
    peer, tr = accept(loop, t, p, small=True)
    s0 = fill(t, tr)
    tr.set_write_buffer_limits(high=s0 + 10, low=s0)
    tr.write(b'0123456789')
    t('at_high', tr.get_write_buffer_size() - s0)
    tr.write(b'a')
    t('over_high', tr.get_write_buffer_size() - s0)
    tr.write(b'bcdef')
    t('still_over', tr.get_write_buffer_size() - s0)
    peer.start_reading()
    t.wait(loop, p.lost)
    t.peer(peer)


@scenario('zero-high-watermark')
def zero_high_watermark(loop, t):
    class P(TracingProtocol):
        def on_resume(self):
            t('size_at_resume', self.transport.get_write_buffer_size())
            self.transport.close()
    p = P(t, loop)
    peer, tr = accept(loop, t, p, small=True)
    tr.set_write_buffer_limits(high=0)
    tr.write(b'f' * FILLER)
    t('write_returned')
    peer.start_reading()
    t.wait(loop, p.lost)
    t.peer(peer)


@scenario('equal-watermarks')
def equal_watermarks(loop, t):
    class P(TracingProtocol):
        def on_resume(self):
            t('size_at_resume_within_low', self.transport.get_write_buffer_size() <= s0 + 5)
            self.transport.close()
    p = P(t, loop)
    peer, tr = accept(loop, t, p, small=True)
    s0 = fill(t, tr)
    tr.set_write_buffer_limits(high=s0 + 5, low=s0 + 5)
    tr.write(b'12345')
    t('at_mark')
    tr.write(b'6')
    t('over_mark')
    peer.start_reading()
    t.wait(loop, p.lost)
    t.peer(peer)


@scenario('limits-lowered-below-buffer')
def limits_lowered_below_buffer(loop, t):
    class P(TracingProtocol):
        def on_resume(self):
            loop.call_soon(self.transport.close)  # closing inside resume_writing trips gh-156512 when drained
    p = P(t, loop)
    peer, tr = accept(loop, t, p, small=True)
    fill(t, tr)
    t('lowering')
    tr.set_write_buffer_limits(high=1024)
    t('set_returned')
    tr.set_write_buffer_limits(high=512)
    t('set_again_returned')
    peer.start_reading()
    t.wait(loop, p.lost)
    t.peer(peer)


@scenario('limits-raised-while-paused')
def limits_raised_while_paused(loop, t):
    class P(TracingProtocol):
        def on_resume(self):
            self.transport.close()
    p = P(t, loop)
    peer, tr = accept(loop, t, p, small=True)
    tr.write(b'f' * FILLER)
    t('raising')
    tr.set_write_buffer_limits(high=1 << 30)
    t('set_returned')
    tr.write(b'more')
    loop.call_soon(peer.start_reading)
    t.wait(loop, p.lost)
    t.peer(peer)


@scenario('pause-writing-raises')
def pause_writing_raises(loop, t):
    class P(TracingProtocol):
        def on_pause(self):
            raise Boom()

        def on_resume(self):
            loop.call_soon(self.transport.close)
    p = P(t, loop)
    peer, tr = accept(loop, t, p, small=True)
    tr.write(b'f' * FILLER)
    t('buffer_intact', tr.get_write_buffer_size() > 64 * 1024)
    t('is_closing', tr.is_closing())
    peer.start_reading()
    t.wait(loop, p.lost)
    t.peer(peer)


@scenario('resume-writing-raises')
def resume_writing_raises(loop, t):
    class P(TracingProtocol):
        def on_resume(self):
            loop.call_soon(self.later)
            raise Boom()

        def later(self):
            t('is_closing', self.transport.is_closing())
            self.transport.write(b'tail')
            self.transport.close()
    p = P(t, loop)
    peer, tr = accept(loop, t, p, small=True)
    tr.write(b'f' * FILLER)
    peer.start_reading()
    t.wait(loop, p.lost)
    t.peer(peer)


@scenario('write-after-close-while-flushing')
def write_after_close_while_flushing(loop, t):
    p = TracingProtocol(t, loop)
    peer, tr = accept(loop, t, p, small=True)
    s0 = fill(t, tr)
    tr.close()
    t('is_closing', tr.is_closing())
    tr.write(b'tail')
    t('appended', tr.get_write_buffer_size() - s0)
    peer.start_reading()
    t.wait(loop, p.lost)
    t.peer(peer)


@scenario('abort-with-pending-writes')
def abort_with_pending_writes(loop, t):
    p = TracingProtocol(t, loop)
    peer, tr = accept(loop, t, p, small=True)
    fill(t, tr)
    tr.abort()
    t('buffer_after_abort', tr.get_write_buffer_size())
    t('is_closing', tr.is_closing())
    peer.start_reading()
    t.wait(loop, p.lost)
    data, end = peer.result()
    t('peer_received_less', len(data) < FILLER, end)


@scenario('close-with-pending-writes')
def close_with_pending_writes(loop, t):
    p = TracingProtocol(t, loop)
    peer, tr = accept(loop, t, p, small=True)
    fill(t, tr)
    tr.close()
    t('close_returned', tr.is_closing())
    loop.call_soon(peer.start_reading)
    t.wait(loop, p.lost)
    t.peer(peer)


# ---------------------------------------------------------------- exceptions in callbacks

@scenario('connection-made-raises')
def connection_made_raises(loop, t):
    class P(TracingProtocol):
        def on_made(self, tr):
            raise Boom()
    p = P(t, loop)
    peer, tr = accept(loop, t, p)
    t('is_closing', tr.is_closing())
    peer.send(b'abc')
    peer.shutdown()
    peer.start_reading()
    t.wait(loop, p.lost)
    t.peer(peer)


@scenario('connection-lost-raises')
def connection_lost_raises(loop, t):
    class P(TracingProtocol):
        def on_lost(self, exc):
            loop.call_soon(t, 'loop_goes_on')
            raise Boom()
    p = P(t, loop)
    peer, tr = accept(loop, t, p)
    tr.close()
    t.wait(loop, p.lost)
    t.wait(loop, asyncio.sleep(SHORT))
    t.peer(peer)


@scenario('data-received-raises')
def data_received_raises(loop, t):
    class P(TracingProtocol):
        def on_data(self, data):
            raise Boom()
    p = P(t, loop)
    peer, tr = accept(loop, t, p)
    peer.send(b'abc')
    peer.start_reading()
    t.wait(loop, p.lost)
    t('is_closing', tr.is_closing())
    t.peer(peer)


@scenario('eof-received-raises')
def eof_received_raises(loop, t):
    class P(TracingProtocol):
        def on_eof(self):
            raise Boom()
    p = P(t, loop)
    peer, tr = accept(loop, t, p)
    peer.send(b'abc')
    peer.shutdown()
    peer.start_reading()
    t.wait(loop, p.lost)
    t.peer(peer)


@scenario('callback-raises-loop-goes-on')
def callback_raises_loop_goes_on(loop, t):
    def boom():
        t('boom')
        raise Boom()
    loop.call_soon(boom)
    loop.call_soon(t, 'next_callback')
    loop.call_later(0, boom)
    loop.call_later(SHORT, loop.stop)
    loop.run_forever()
    t('run_forever_returned')


# ---------------------------------------------------------------- reading flow control

@scenario('pause-reading-in-connection-made')
def pause_reading_in_connection_made(loop, t):
    class P(TracingProtocol):
        def on_made(self, tr):
            tr.pause_reading()
            t('is_reading', tr.is_reading())
            loop.call_later(SHORT, self.resume)

        def resume(self):
            t('resuming')
            self.transport.resume_reading()
    p = P(t, loop)
    peer, tr = accept(loop, t, p)
    peer.send(b'abc')
    peer.shutdown()
    peer.start_reading()
    t.wait(loop, p.lost)
    t.peer(peer)


@scenario('call-soon-pause-reading-before-data')
def call_soon_pause_reading_before_data(loop, t):
    class P(TracingProtocol):
        def on_made(self, tr):
            loop.call_soon(tr.pause_reading)
            loop.call_later(SHORT, self.resume)

        def resume(self):
            t('resuming')
            self.transport.resume_reading()
    p = P(t, loop)
    peer, sock = Peer.pair()
    peer.send(b'early')
    peer.shutdown()
    t.wait(loop, loop.connect_accepted_socket(lambda: p, sock))
    peer.start_reading()
    t.wait(loop, p.lost)
    t.peer(peer)


@scenario('call-soon-pause-reading-in-data-received')
def call_soon_pause_reading_in_data_received(loop, t):
    class P(TracingProtocol):
        def on_data(self, data):
            if data == b'first':
                loop.call_soon(self.transport.pause_reading)
                peer.send(b'second')
                peer.shutdown()
                loop.call_later(SHORT, self.resume)

        def resume(self):
            t('resuming')
            self.transport.resume_reading()
    p = P(t, loop)
    peer, tr = accept(loop, t, p)
    peer.send(b'first')
    peer.start_reading()
    t.wait(loop, p.lost)
    t.peer(peer)


@scenario('pause-reading-around-eof')
def pause_reading_around_eof(loop, t):
    class P(TracingProtocol):
        def on_data(self, data):
            self.transport.pause_reading()
            loop.call_later(SHORT, self.resume)

        def resume(self):
            t('resuming')
            self.transport.resume_reading()
    p = P(t, loop)
    peer, tr = accept(loop, t, p)
    peer.send(b'abc')
    peer.shutdown()
    peer.start_reading()
    t.wait(loop, p.lost)
    t.peer(peer)


@scenario('pause-resume-reading-idempotent')
def pause_resume_reading_idempotent(loop, t):
    p = TracingProtocol(t, loop)
    peer, tr = accept(loop, t, p)
    tr.pause_reading()
    tr.pause_reading()
    t('is_reading', tr.is_reading())
    tr.resume_reading()
    tr.resume_reading()
    t('is_reading', tr.is_reading())
    tr.close()
    t('is_reading', tr.is_reading())
    t.outcome('pause_when_closing', tr.pause_reading)
    t.outcome('resume_when_closing', tr.resume_reading)
    t.wait(loop, p.lost)
    t.outcome('pause_when_closed', tr.pause_reading)
    t.outcome('resume_when_closed', tr.resume_reading)
    t('is_reading', tr.is_reading())
    t.peer(peer)


@scenario('close-in-data-received')
def close_in_data_received(loop, t):
    class P(TracingProtocol):
        def on_data(self, data):
            self.transport.close()
    p = P(t, loop)
    peer, tr = accept(loop, t, p)
    peer.send(b'abc')
    peer.shutdown()
    peer.start_reading()
    t.wait(loop, p.lost)
    t.peer(peer)


# ---------------------------------------------------------------- BufferedProtocol

@scenario('buffered-protocol-basic')
def buffered_protocol_basic(loop, t):
    p = TracingBufferedProtocol(t, loop)
    peer, tr = accept(loop, t, p)
    peer.send(b'hello buffered')
    peer.shutdown()
    peer.start_reading()
    t.wait(loop, p.lost)
    t.peer(peer)


@scenario('buffered-one-byte-buffer')
def buffered_one_byte_buffer(loop, t):
    p = TracingBufferedProtocol(t, loop)
    p.size = 1
    peer, tr = accept(loop, t, p)
    peer.send(b'abcdef')
    peer.shutdown()
    peer.start_reading()
    t.wait(loop, p.lost)
    t.peer(peer)


@scenario('buffered-eof-true-then-write')
def buffered_eof_true_then_write(loop, t):
    class P(TracingBufferedProtocol):
        def on_eof(self):
            self.transport.write(b'reply:' + bytes(self.received))
            loop.call_soon(self.transport.close)
            return True
    p = P(t, loop)
    peer, tr = accept(loop, t, p)
    peer.send(b'question')
    peer.shutdown()
    peer.start_reading()
    t.wait(loop, p.lost)
    t.peer(peer)


@scenario('get-buffer-raises')
def get_buffer_raises(loop, t):
    class P(TracingBufferedProtocol):
        def get_buffer(self, sizehint):
            super().get_buffer(sizehint)
            raise Boom()
    p = P(t, loop)
    peer, tr = accept(loop, t, p)
    peer.send(b'abc')
    peer.start_reading()
    t.wait(loop, p.lost)
    t.peer(peer)


@scenario('get-buffer-empty')
def get_buffer_empty(loop, t):
    p = TracingBufferedProtocol(t, loop)
    p.size = 0
    peer, tr = accept(loop, t, p)
    peer.send(b'abc')
    peer.start_reading()
    t.wait(loop, p.lost)
    t.peer(peer)


@scenario('buffer-updated-raises')
def buffer_updated_raises(loop, t):
    class P(TracingBufferedProtocol):
        def on_updated(self, nbytes):
            raise Boom()
    p = P(t, loop)
    peer, tr = accept(loop, t, p)
    peer.send(b'abc')
    peer.start_reading()
    t.wait(loop, p.lost)
    t.peer(peer)


# ---------------------------------------------------------------- datagrams

def endpoint(loop, t, protocol, **kwargs):
    transport, _ = t.wait(loop, loop.create_datagram_endpoint(lambda: protocol, **kwargs))
    return transport


@scenario('udp-echo-unconnected')
def udp_echo_unconnected(loop, t):
    peer = UdpPeer()
    p = TracingDatagramProtocol(t, loop)
    tr = endpoint(loop, t, p, local_addr=('127.0.0.1', 0))
    peer.sendto(b'ping', tr.get_extra_info('sockname'))
    kind, data, addr = t.wait(loop, p.next_event())
    t('from_peer', addr[:2] == peer.addr[:2])
    tr.sendto(b'pong', addr)
    t('peer_got', peer.recv())
    tr.close()
    t.wait(loop, p.lost)
    peer.close()


@scenario('udp-connected-closed-port')
def udp_connected_closed_port(loop, t):
    p = TracingDatagramProtocol(t, loop)
    tr = endpoint(loop, t, p, remote_addr=('127.0.0.1', closed_port(socket.SOCK_DGRAM)))
    tr.sendto(b'x')
    t.wait(loop, p.next_event())
    t('is_closing', tr.is_closing())
    tr.close()
    t.wait(loop, p.lost)


@scenario('udp-error-received-raises')
def udp_error_received_raises(loop, t):
    class P(TracingDatagramProtocol):
        def on_error(self, exc):
            raise Boom()
    p = P(t, loop)
    tr = endpoint(loop, t, p, remote_addr=('127.0.0.1', closed_port(socket.SOCK_DGRAM)))
    tr.sendto(b'x')
    t.wait(loop, p.next_event())
    t('is_closing', tr.is_closing())
    tr.sendto(b'y')
    t.wait(loop, p.next_event())
    tr.close()
    t.wait(loop, p.lost)


@scenario('udp-datagram-received-raises')
def udp_datagram_received_raises(loop, t):
    class P(TracingDatagramProtocol):
        def on_datagram(self, data, addr):
            if data == b'first':
                raise Boom()
    peer = UdpPeer()
    p = P(t, loop)
    tr = endpoint(loop, t, p, local_addr=('127.0.0.1', 0))
    peer.sendto(b'first', tr.get_extra_info('sockname'))
    t.wait(loop, p.next_event())
    peer.sendto(b'second', tr.get_extra_info('sockname'))
    t.wait(loop, p.next_event())
    t('is_closing', tr.is_closing())
    tr.close()
    t.wait(loop, p.lost)
    peer.close()


@scenario('udp-empty-datagram-connected')
def udp_empty_datagram_connected(loop, t):
    peer = UdpPeer()
    p = TracingDatagramProtocol(t, loop)
    tr = endpoint(loop, t, p, remote_addr=peer.addr)
    t.outcome('sendto_empty', tr.sendto, b'')
    tr.sendto(b'x')
    t('peer_got', peer.recv())
    t('is_closing', tr.is_closing())
    tr.close()
    t.wait(loop, p.lost)
    peer.close()


@scenario('udp-extra-info')
def udp_extra_info(loop, t):
    peer = UdpPeer()
    p = TracingDatagramProtocol(t, loop)
    tr = endpoint(loop, t, p, local_addr=('127.0.0.1', 0))
    t('unconnected_peername', tr.get_extra_info('peername', 'fallback'))
    t('sockname_present', tr.get_extra_info('sockname') is not None)
    tr.close()
    t.wait(loop, p.lost)
    p = TracingDatagramProtocol(t, loop)
    tr = endpoint(loop, t, p, remote_addr=peer.addr)
    t('connected_peername_is_peer', tr.get_extra_info('peername')[:2] == peer.addr[:2])
    tr.close()
    t.wait(loop, p.lost)
    peer.close()


@scenario('udp-sendto-other-address-when-connected')
def udp_sendto_other_address_when_connected(loop, t):
    peer = UdpPeer()
    other = UdpPeer()
    p = TracingDatagramProtocol(t, loop)
    tr = endpoint(loop, t, p, remote_addr=peer.addr)
    t.outcome('sendto_other', tr.sendto, b'x', other.addr)
    t.outcome('sendto_same', tr.sendto, b'y', peer.addr)
    t('peer_got', peer.recv())
    tr.close()
    t.wait(loop, p.lost)
    peer.close()
    other.close()


@scenario('udp-sendto-after-close')
def udp_sendto_after_close(loop, t):
    peer = UdpPeer()
    p = TracingDatagramProtocol(t, loop)
    tr = endpoint(loop, t, p, remote_addr=peer.addr)
    tr.close()
    t.outcome('sendto_while_closing', tr.sendto, b'x')
    t.wait(loop, p.lost)
    t.outcome('sendto_after_lost', tr.sendto, b'y')
    peer.close()


# ---------------------------------------------------------------- servers

@scenario('server-close-with-live-connection')
def server_close_with_live_connection(loop, t):
    made = loop.create_future()

    class P(TracingProtocol):
        def on_made(self, tr):
            made.set_result(self)

        def on_data(self, data):
            self.transport.write(data)
            if data.endswith(b'!'):
                t('wait_closed_done_while_client_open', waiter.done())
                self.transport.close()
    server = t.wait(loop, loop.create_server(lambda: P(t, loop), '127.0.0.1', 0))
    port = server.sockets[0].getsockname()[1]
    peer = Peer(socket.create_connection(('127.0.0.1', port)))
    p = t.wait(loop, made)
    server.close()
    t('is_serving', server.is_serving())
    t('sockets', len(server.sockets or ()))
    waiter = asyncio.ensure_future(server.wait_closed(), loop=loop)
    t.wait(loop, asyncio.sleep(SHORT))
    peer.send(b'still here!')
    peer.start_reading()
    t.wait(loop, p.lost)
    t.wait(loop, waiter)
    t('wait_closed_done')
    t.peer(peer)


@scenario('server-serve-forever')
def server_serve_forever(loop, t):
    server = t.wait(loop, loop.create_server(lambda: TracingProtocol(t, loop), '127.0.0.1', 0,
                                             start_serving=False))
    t('is_serving', server.is_serving())
    first = asyncio.ensure_future(server.serve_forever(), loop=loop)
    t.wait(loop, asyncio.sleep(SHORT))
    t('is_serving', server.is_serving())
    try:
        t.wait(loop, server.serve_forever())
        t('second', 'returned')
    except RuntimeError as exc:
        t('second', exc)
    server.close()
    try:
        t.wait(loop, first)
        t('first', 'returned')
    except asyncio.CancelledError as exc:
        t('first', exc)
    try:
        t.wait(loop, server.serve_forever())
        t('on_closed', 'returned')
    except RuntimeError as exc:
        t('on_closed', exc)
    t.wait(loop, server.wait_closed())


@scenario('server-start-serving-later')
def server_start_serving_later(loop, t):
    made = loop.create_future()

    class P(TracingProtocol):
        def on_made(self, tr):
            made.set_result(self)
    server = t.wait(loop, loop.create_server(lambda: P(t, loop), '127.0.0.1', 0, start_serving=False))
    t('is_serving', server.is_serving())
    t('sockets', len(server.sockets))
    port = server.sockets[0].getsockname()[1]
    t.wait(loop, server.start_serving())
    t('is_serving', server.is_serving())
    peer = Peer(socket.create_connection(('127.0.0.1', port)))
    p = t.wait(loop, made)
    server.close()
    t('is_serving', server.is_serving())
    t('sockets', len(server.sockets or ()))
    p.transport.close()
    peer.start_reading()
    t.wait(loop, p.lost)
    t.wait(loop, server.wait_closed())
    t.peer(peer)


# ---------------------------------------------------------------- the loop

@scenario('call-at-ties')
def call_at_ties(loop, t):
    when = loop.time() + 2 * SHORT
    loop.call_at(when, t, 'a')
    loop.call_at(when, t, 'b')
    loop.call_at(when - SHORT, t, 'c')
    loop.call_at(when, t, 'd')
    loop.call_at(when, loop.stop)
    loop.run_forever()
    t('run_forever_returned')


@scenario('ready-before-due-timer')
def ready_before_due_timer(loop, t):
    def first():
        t('first')
        loop.call_later(0, t, 'timer_from_first')
        loop.call_soon(t, 'soon_from_first')
    loop.call_later(0, t, 'timer')
    loop.call_soon(first)
    loop.call_soon(t, 'soon')
    loop.call_later(SHORT, loop.stop)
    loop.run_forever()


@scenario('stop-inside-batch')
def stop_inside_batch(loop, t):
    def a():
        t('a')
        loop.call_soon(t, 'scheduled_by_a')
    loop.call_soon(a)
    loop.call_soon(loop.stop)
    loop.call_soon(t, 'b')
    loop.run_forever()
    t('run_forever_returned')
    loop.call_soon(loop.stop)
    loop.run_forever()
    t('second_run_returned')
    loop.stop()
    loop.call_soon(t, 'ready_before_stopped_run')
    loop.run_forever()
    t('stopped_run_returned')


@scenario('run-until-complete-error')
def run_until_complete_error(loop, t):
    fut = loop.create_future()
    loop.call_soon(fut.set_exception, Boom())
    try:
        loop.run_until_complete(fut)
        t('returned')
    except Boom as exc:
        t('run_until_complete', exc)
    done = loop.create_future()
    loop.call_soon(done.set_result, 42)
    t('run_until_complete', loop.run_until_complete(done))


@scenario('run-until-complete-stopped-early')
def run_until_complete_stopped_early(loop, t):
    fut = loop.create_future()
    loop.call_soon(loop.stop)
    try:
        loop.run_until_complete(fut)
        t('returned')
    except RuntimeError as exc:
        t('run_until_complete', exc)
    t('future_done', fut.done())


@scenario('run-while-running')
def run_while_running(loop, t):
    def nested():
        t.outcome('run_forever', loop.run_forever)
        t.outcome('run_until_complete', loop.run_until_complete, loop.create_future())
        t.outcome('close', loop.close)
        loop.stop()
    loop.call_soon(nested)
    loop.run_forever()
    t('is_closed', loop.is_closed())


@scenario('closed-loop')
def closed_loop(loop, t):
    loop.close()
    t('is_closed', loop.is_closed())
    t.outcome('close_again', loop.close)
    t.outcome('call_soon', loop.call_soon, t, 'never')
    t.outcome('call_later', loop.call_later, 1, t, 'never')
    t.outcome('run_forever', loop.run_forever)
    t.outcome('run_until_complete', loop.run_until_complete, loop.create_future())


@scenario('cancelled-timer')
def cancelled_timer(loop, t):
    handle = loop.call_later(SHORT / 2, t, 'never')
    handle.cancel()
    handle.cancel()
    t('cancelled', handle.cancelled())
    soon = loop.call_soon(t, 'never_soon')
    soon.cancel()
    loop.call_later(SHORT, loop.stop)
    loop.run_forever()
    t('run_forever_returned')


# ---------------------------------------------------------------- child processes

NO_PIPES = dict(stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def child(loop, t, protocol, *command, **pipes):
    transport, _ = t.wait(loop, loop.subprocess_exec(lambda: protocol, *command, **pipes))
    return transport


@scenario('subprocess-exit-code-no-pipes')
def subprocess_exit_code_no_pipes(loop, t):
    class P(TracingSubprocessProtocol):
        def on_made(self, tr):
            t('pipes', tr.get_pipe_transport(0), tr.get_pipe_transport(1), tr.get_pipe_transport(2))
            t('returncode', tr.get_returncode())
    p = P(t, loop)
    tr = child(loop, t, p, sys.executable, '-c', 'import sys; sys.exit(7)', **NO_PIPES)
    t.wait(loop, p.lost)
    t('returncode', exit_status(tr.get_returncode()))


# The child writes to stdout and closes it, waits for a line, writes to stderr and closes it, waits for the end
# of stdin, then exits 3: every step waits for the parent, so the order is the same every time.
PIPES_THEN_EXIT = """
import os, sys
def close(fd):
    os.dup2(os.open(os.devnull, os.O_WRONLY), fd)
sys.stdout.write('out\\n'); sys.stdout.flush(); close(1)
sys.stdin.readline()
sys.stderr.write('err\\n'); sys.stderr.flush(); close(2)
sys.stdin.read()
sys.exit(3)
"""


@scenario('subprocess-pipes-close-then-exit')
def subprocess_pipes_close_then_exit(loop, t):
    class P(TracingSubprocessProtocol):
        def on_pipe_lost(self, fd, exc):
            if fd == 1:
                self.transport.get_pipe_transport(0).write(b'go\n')
            elif fd == 2:
                self.transport.get_pipe_transport(0).close()
    p = P(t, loop)
    child(loop, t, p, sys.executable, '-c', PIPES_THEN_EXIT)
    t.wait(loop, p.lost)


@scenario('subprocess-kill-terminate-signal')
def subprocess_kill_terminate_signal(loop, t):
    for name, send in (('kill', lambda tr: tr.kill()), ('terminate', lambda tr: tr.terminate()),
                       ('sighup', lambda tr: tr.send_signal(signal.SIGHUP)),
                       ('sigint', lambda tr: tr.send_signal(signal.SIGINT))):
        class P(TracingSubprocessProtocol):
            def on_made(self, tr):
                t('send', name)
                send(tr)
                t('returncode', tr.get_returncode())
        p = P(t, loop)
        child(loop, t, p, 'sleep', '30', **NO_PIPES)
        t.wait(loop, p.lost)


@scenario('subprocess-close-while-running')
def subprocess_close_while_running(loop, t):
    class P(TracingSubprocessProtocol):
        def on_made(self, tr):
            tr.close()
            t('is_closing', tr.is_closing())
            t('returncode', tr.get_returncode())
    p = P(t, loop)
    child(loop, t, p, 'sleep', '30', stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    t.wait(loop, p.lost)


@scenario('subprocess-close-after-exit')
def subprocess_close_after_exit(loop, t):
    class P(TracingSubprocessProtocol):
        def on_exited(self):
            self.transport.close()
            t('returncode', exit_status(self.transport.get_returncode()))
    p = P(t, loop)
    tr = child(loop, t, p, sys.executable, '-c', 'pass', **NO_PIPES)
    t.wait(loop, p.lost)
    t('returncode', exit_status(tr.get_returncode()))


# ---------------------------------------------------------------- pipes

def read_pipe(loop, t, protocol):
    """A pipe whose read end goes to connect_read_pipe with protocol; returns (transport, write fd)."""
    rfd, wfd = os.pipe()
    transport, _ = t.wait(loop, loop.connect_read_pipe(lambda: protocol, os.fdopen(rfd, 'rb', 0)))
    return transport, wfd


def write_pipe(loop, t, protocol):
    """A pipe whose write end goes to connect_write_pipe with protocol; returns (transport, read fd)."""
    rfd, wfd = os.pipe()
    transport, _ = t.wait(loop, loop.connect_write_pipe(lambda: protocol, os.fdopen(wfd, 'wb', 0)))
    return transport, rfd


@scenario('read-pipe-data-then-eof')
def read_pipe_data_then_eof(loop, t):
    p = TracingProtocol(t, loop)
    tr, wfd = read_pipe(loop, t, p)
    t('pipe_given', tr.get_extra_info('pipe') is not None)
    t('peername', tr.get_extra_info('peername', 'none'))
    os.write(wfd, b'abc')
    os.close(wfd)
    t.wait(loop, p.lost)
    t('is_closing', tr.is_closing())


@scenario('read-pipe-eof-true-still-closes')
def read_pipe_eof_true_still_closes(loop, t):
    p = TracingProtocol(t, loop)
    p.keep_open = True
    tr, wfd = read_pipe(loop, t, p)
    os.write(wfd, b'abc')
    os.close(wfd)
    t.wait(loop, p.lost)
    t('is_closing', tr.is_closing())


@scenario('read-pipe-pause-resume')
def read_pipe_pause_resume(loop, t):
    class P(TracingProtocol):
        def on_made(self, tr):
            tr.pause_reading()
            t('is_reading', tr.is_reading())
    p = P(t, loop)
    tr, wfd = read_pipe(loop, t, p)
    os.write(wfd, b'abc')
    os.close(wfd)
    t.wait(loop, asyncio.sleep(SHORT))
    t('while_paused')
    tr.resume_reading()
    t('is_reading', tr.is_reading())
    t.wait(loop, p.lost)


@scenario('write-pipe-write-eof-closes')
def write_pipe_write_eof_closes(loop, t):
    p = TracingProtocol(t, loop)
    tr, rfd = write_pipe(loop, t, p)
    t('can_write_eof', tr.can_write_eof())
    tr.write(b'hello')
    t('write_buffer_size', tr.get_write_buffer_size())
    tr.write_eof()
    t('is_closing', tr.is_closing())
    t.wait(loop, p.lost)
    t('reader_got', os.read(rfd, 100), os.read(rfd, 100))
    os.close(rfd)


@scenario('write-pipe-reader-closed')
def write_pipe_reader_closed(loop, t):
    p = TracingProtocol(t, loop)
    tr, rfd = write_pipe(loop, t, p)
    os.close(rfd)
    t.wait(loop, asyncio.sleep(SHORT))
    t('is_closing', tr.is_closing())
    tr.write(b'x')
    t.wait(loop, p.lost)


def run(name, implementation):
    """Runs one scenario on a fresh loop; prints '=== NAME', its trace, then 'END'."""
    print('=== ' + name, flush=True)
    if implementation == 'uvloop':
        import uvloop
        loop = uvloop.new_event_loop()
    else:
        loop = asyncio.SelectorEventLoop()
    t = Trace()
    loop.set_exception_handler(t.handler)
    asyncio.set_event_loop(loop)
    try:
        SCENARIOS[name](loop, t)
    except Exception as exc:
        t('scenario_error', exc)
        traceback.print_exc()
    finally:
        if not loop.is_closed():
            loop.close()
        asyncio.set_event_loop(None)
        print('END', flush=True)


def main():
    """python3 scenarios.py (--list | --all | NAME...) [--loop asyncio|uvloop]"""
    args = sys.argv[1:]
    implementation = 'asyncio'
    if '--loop' in args:
        index = args.index('--loop')
        implementation = args[index + 1]
        del args[index:index + 2]
    if args == ['--list']:
        print('\n'.join(SCENARIOS))
        return
    for name in (list(SCENARIOS) if args == ['--all'] else args):
        run(name, implementation)


if __name__ == '__main__':
    main()
