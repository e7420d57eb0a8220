"""HTTP for the LanguageTool client: one request with a total deadline, a size limit and a
stop switch, and a one-line reason when it fails.

The standard library's timeouts are per read: a server that trickles one byte a second never
times out. Here every socket read and write waits at most ``POLL`` seconds at a time and, between
waits, checks the request's deadline and the run's stop switch (``threading.Event``): a
trickling, hanging or stalled server costs at most the deadline, and a stop (Ctrl-C, the run
giving up) ends the request within ``POLL``. Redirects are never followed (a LanguageTool server
does not redirect; the reason names where it pointed, for the user to configure it).
"""

from __future__ import annotations

import functools
import http.client
import socket
import ssl
import threading
import time
import urllib.parse
from collections.abc import Callable

POLL = 0.2  # seconds a socket waits before the deadline and the stop switch are looked at again
MAX_ANSWER_BYTES = 32 * 1024 * 1024  # an answer larger than this is refused, not read (JSON of 32 MB parses in < 400 MB)


class TransportError(Exception):
    """The request failed; the message is one line saying why (and what to do)."""


class Expired(TransportError):
    """The deadline passed before the answer was complete."""


class Stopped(TransportError):
    """The run stopped the request (Ctrl-C, or it gave up on the server)."""


class _Guard:
    """A request's deadline (``time.monotonic()``) and the run's stop switch."""

    def __init__(self, deadline: float, stop: threading.Event | None):
        self.deadline = deadline
        self.stop = stop

    def check(self) -> None:
        if self.stop is not None and self.stop.is_set():
            raise Stopped("stopped")
        if time.monotonic() >= self.deadline:
            raise Expired("deadline")

    def remaining(self) -> float:
        return max(0.0, self.deadline - time.monotonic())


def _patient(call: Callable, guard: _Guard | None):
    """``call()`` again after each ``POLL``-long wait until it succeeds, the deadline passes or
    the run stops."""
    while True:
        if guard is not None:
            guard.check()
        try:
            return call()
        except TimeoutError:
            if guard is None:
                raise


def _send_all(sock: socket.socket, data, flags: int, guard: _Guard | None) -> None:
    """``sock.sendall(data)`` in ``POLL``-long waits."""
    view = memoryview(data).cast("B")
    while view:
        view = view[_patient(functools.partial(sock.send, view, flags), guard):]


class _GuardedSocket(socket.socket):
    """A socket whose reads and writes honour a ``_Guard`` (set after connecting)."""

    guard: _Guard | None = None

    def recv_into(self, buffer, nbytes=0, flags=0):
        return _patient(lambda: super(_GuardedSocket, self).recv_into(buffer, nbytes, flags), self.guard)

    def sendall(self, data, flags=0):
        _send_all(self, data, flags, self.guard)


class _GuardedSSLSocket(ssl.SSLSocket):
    """The TLS counterpart of ``_GuardedSocket`` (``SSLContext.sslsocket_class``; a subclass per
    request carries its guard, as the handshake happens while the socket is made)."""

    guard: _Guard | None = None

    def do_handshake(self, block=False):
        return _patient(lambda: super(_GuardedSSLSocket, self).do_handshake(block), self.guard)

    def recv_into(self, buffer, nbytes=None, flags=0):
        return _patient(lambda: super(_GuardedSSLSocket, self).recv_into(buffer, nbytes, flags), self.guard)

    def sendall(self, data, flags=0):
        _send_all(self, data, flags, self.guard)


def _connector(guard: _Guard) -> Callable:
    """``socket.create_connection`` making a ``_GuardedSocket``: the connection itself waits
    until the deadline at most."""

    def create_connection(address, *_):  # http.client passes its timeout: the guard's deadline is used instead
        host, port = address
        error: OSError | None = None
        for family, kind, proto, _name, where in socket.getaddrinfo(host, port, 0, socket.SOCK_STREAM):
            guard.check()
            sock = _GuardedSocket(family, kind, proto)
            try:
                sock.settimeout(max(0.01, guard.remaining()))
                sock.connect(where)
                sock.settimeout(POLL)
                sock.guard = guard
                return sock
            except OSError as exc:
                sock.close()
                error = exc
        raise error or OSError(f"cannot resolve {host}")

    return create_connection


def _connection(url: urllib.parse.SplitResult, guard: _Guard) -> http.client.HTTPConnection:
    host, port = url.hostname or "", url.port
    conn: http.client.HTTPConnection
    if url.scheme == "https":
        context = ssl.create_default_context()
        context.sslsocket_class = type("_RequestSSLSocket", (_GuardedSSLSocket,), {"guard": guard})
        conn = http.client.HTTPSConnection(host, port, timeout=POLL, context=context)
    else:
        conn = http.client.HTTPConnection(host, port, timeout=POLL)
    conn._create_connection = _connector(guard)  # type: ignore[attr-defined]
    return conn


def request(url: str, data: bytes | None, *, deadline: float, stop: threading.Event | None = None,
            max_bytes: int = MAX_ANSWER_BYTES) -> tuple[int, bytes]:
    """``POST url`` (``data``: a form body) or ``GET url`` (``data`` None): the status and the
    body of the answer, complete before ``deadline`` (``time.monotonic()``) and at most
    ``max_bytes`` long. Raises ``Expired``, ``Stopped`` or ``TransportError`` (one line)."""
    parts = urllib.parse.urlsplit(url)
    guard = _Guard(deadline, stop)
    guard.check()
    conn = _connection(parts, guard)
    try:
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        headers = {"Accept": "application/json", "Connection": "close"}
        if data is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded; charset=utf-8"
        conn.request("POST" if data is not None else "GET", path, body=data, headers=headers)
        answer = conn.getresponse()
        if 300 <= answer.status < 400:
            where = answer.getheader("Location") or "nowhere"
            raise TransportError(f"the server answered HTTP {answer.status}, a redirect to {one_line(where, 100)}; "
                                 "mtreview follows no redirect: give the URL it points to, if that is a LanguageTool server")
        if answer.length is not None and answer.length > max_bytes:  # its Content-Length
            raise TransportError(f"an answer of {answer.length:,} bytes, more than mtreview reads ({max_bytes:,})")
        chunks, size = [], 0
        while True:
            chunk = answer.read(65536)
            if not chunk:
                break
            size += len(chunk)
            if size > max_bytes:
                raise TransportError(f"an answer of more than {max_bytes:,} bytes, more than mtreview reads")
            chunks.append(chunk)
        return answer.status, b"".join(chunks)
    except TransportError:
        raise
    except (OSError, http.client.HTTPException, ValueError) as exc:
        try:
            guard.check()  # a connection that failed at the deadline or on a stop: Expired, Stopped
        except TransportError as late:
            raise late from None
        raise TransportError(reason(exc)) from None
    finally:
        conn.close()


def one_line(text: str, limit: int = 200) -> str:
    """``text`` on one line of printable characters, at most ``limit`` long."""
    flat = " ".join("".join(c if c.isprintable() else " " for c in text).split())
    return flat if len(flat) <= limit else flat[:limit - 1] + "…"


def reason(exc: BaseException) -> str:
    """Why a request failed, in words a user can act on."""
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused: is the server running? `mtreview languagetool start`"
    if isinstance(exc, (ConnectionResetError, ConnectionAbortedError, BrokenPipeError, http.client.RemoteDisconnected,
                        http.client.IncompleteRead)):
        return "connection lost: the server stopped or crashed during the request; `mtreview languagetool status`"
    if isinstance(exc, socket.gaierror):
        return f"unknown host ({one_line(str(exc), 80)}): check the URL"
    if isinstance(exc, ssl.SSLError):
        return f"TLS failed ({one_line(str(exc), 120)})"
    if isinstance(exc, TimeoutError):
        return "no connection within the timeout"
    if isinstance(exc, http.client.HTTPException):
        return f"not an HTTP answer ({type(exc).__name__})"
    return one_line(str(exc)) or type(exc).__name__
