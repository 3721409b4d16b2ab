"""Stop a long command between two units of work on SIGINT (Ctrl-C) or SIGTERM.

While the work runs, the first signal asks for a stop: the command finishes the unit in
hand (a batch being written), says what it did and exits with 128 + the signal's
number. A second signal stops it at once (``KeyboardInterrupt``). Once the work has
ended, signals are ignored until :meth:`StopOnSignal.restore`: the command is only
closing its store and printing its summary, which a signal must not cut short. A child
forked while the handler is set (spaCy's ``n_process`` workers) ignores the signals: the
terminal sends Ctrl-C to the whole group, and the parent ends the work.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from collections.abc import Callable
from types import FrameType, TracebackType
from typing import Any

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


class StopOnSignal:
    """Enter around the work; call the object to ask whether a stop was asked for.

    Outside the main thread (where Python cannot set handlers) it does nothing and never
    asks for a stop.

    Args:
        on_first: called with the signal's name when the first signal arrives while the
            work runs (from the signal handler: keep it short, e.g. write one line).
    """

    def __init__(self, on_first: Callable[[str], None] | None = None) -> None:
        self.on_first = on_first
        self.by: signal.Signals | None = None
        self._running = False
        self._pid = os.getpid()
        self._previous: dict[signal.Signals, Any] = {}
        self._previous_hook = sys.unraisablehook

    def __call__(self) -> bool:
        return self.by is not None

    @property
    def exit_code(self) -> int:
        """Return the shell's code for a command ended by the signal (130 for SIGINT, 0 if none)."""
        return 128 + int(self.by) if self.by is not None else 0

    def _on_signal(self, signum: int, frame: FrameType | None) -> None:
        if os.getpid() != self._pid:
            return  # a forked child (spaCy's n_process workers): the parent decides
        if not self._running:
            return  # the work is over: closing and reporting go on
        if self.by is not None:
            raise KeyboardInterrupt
        self.by = signal.Signals(signum)
        if self.on_first is not None:
            self.on_first(self.by.name)

    def _on_unraisable(self, unraisable: Any) -> None:
        # The second signal's KeyboardInterrupt may be raised inside a finalizer (a Dask
        # future's __del__), where Python only prints it: deliver it to the main thread
        # again, a moment later, once the finalizer is done.
        if isinstance(unraisable.exc_value, KeyboardInterrupt) and self._running:
            threading.Timer(0.01, os.kill, (self._pid, self.by or signal.SIGINT)).start()
            return
        self._previous_hook(unraisable)

    def __enter__(self) -> StopOnSignal:
        self._pid = os.getpid()
        if threading.current_thread() is threading.main_thread() and not self._previous:
            for sig in STOP_SIGNALS:
                self._previous[sig] = signal.signal(sig, self._on_signal)
            self._previous_hook = sys.unraisablehook
            sys.unraisablehook = self._on_unraisable
        self._running = True
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self._running = False

    def restore(self) -> None:
        """Put back the handlers that were there before :meth:`__enter__`."""
        for sig, handler in self._previous.items():
            signal.signal(sig, handler)
        if self._previous:
            sys.unraisablehook = self._previous_hook
        self._previous.clear()
