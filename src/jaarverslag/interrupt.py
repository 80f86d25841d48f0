"""Ctrl-C and SIGTERM as exceptions, held back while a step must not be cut short.

A signal normally raises at once, so every `with` and `finally` on the way out cleans up
(kernel, sockets, staging folder, lock file). Some libraries catch every exception in
places: WeasyPrint drops a chart that fails to draw, even when the failure is our
KeyboardInterrupt, and the PDF would be published without it. Inside `held()` a signal
is only noted, and raised as soon as the block ends.
"""

from __future__ import annotations

import signal
from contextlib import contextmanager

SIGNALS = (signal.SIGINT, signal.SIGTERM)
_state = {"held": 0, "pending": None}


class Afgebroken(KeyboardInterrupt):
    """SIGTERM as an exception (SIGINT stays KeyboardInterrupt).

    A KeyboardInterrupt, not just a BaseException: asyncio re-raises only KeyboardInterrupt and
    SystemExit from a callback and logs any other exception. A SIGTERM that arrived while the
    kernel client ran a callback was swallowed that way, and the build slept on (seen once in CI
    under load)."""


def _raise(signum: int):
    raise KeyboardInterrupt if signum == signal.SIGINT else Afgebroken


def _handler(signum, frame) -> None:
    if _state["held"]:
        _state["pending"] = signum
        return
    _raise(signum)


@contextmanager
def installed():
    """Route SIGINT and SIGTERM through this module for the duration (main thread only)."""
    previous = {s: signal.signal(s, _handler) for s in SIGNALS}
    try:
        yield
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
        _state.update(held=0, pending=None)


@contextmanager
def held():
    """Run a block to its end; a signal that arrives meanwhile is raised right after it."""
    _state["held"] += 1
    try:
        yield
    finally:
        _state["held"] -= 1
        pending = _state["pending"]
        if not _state["held"] and pending is not None:
            _state["pending"] = None
            _raise(pending)
