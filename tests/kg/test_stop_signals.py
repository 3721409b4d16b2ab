"""aikg.signals.StopOnSignal: the first SIGINT/SIGTERM asks for a stop, the second stops now.

Real signals sent to this process (pytest runs tests in the main thread).
"""

from __future__ import annotations

import os
import signal
import time

import pytest

from aikg.signals import StopOnSignal


def test_first_signal_asks_second_raises_and_after_the_work_they_are_ignored():
    said: list[str] = []
    before = signal.getsignal(signal.SIGINT)
    stop = StopOnSignal(on_first=said.append)
    try:
        with stop:
            assert not stop()
            os.kill(os.getpid(), signal.SIGTERM)
            assert stop() and said == ["SIGTERM"] and stop.exit_code == 143
            with pytest.raises(KeyboardInterrupt):
                os.kill(os.getpid(), signal.SIGINT)
        # The work is over (closing, reporting): a signal now changes nothing.
        os.kill(os.getpid(), signal.SIGINT)
        assert said == ["SIGTERM"] and stop.by is signal.SIGTERM
    finally:
        stop.restore()
    assert signal.getsignal(signal.SIGINT) is before


def test_no_signal_no_stop():
    stop = StopOnSignal()
    try:
        with stop:
            pass
    finally:
        stop.restore()
    assert not stop() and stop.exit_code == 0


def test_a_forked_child_leaves_the_signals_to_its_parent():
    """spaCy's n_process workers are forked with the handler set: Ctrl-C reaches them too."""
    stop = StopOnSignal()
    try:
        with stop:
            pid = os.fork()
            if pid == 0:  # the child: two signals change nothing, no KeyboardInterrupt
                code = 3
                try:
                    os.kill(os.getpid(), signal.SIGINT)
                    os.kill(os.getpid(), signal.SIGINT)
                    code = 1 if stop() else 0
                finally:
                    os._exit(code)
            _, status = os.waitpid(pid, 0)
            assert os.waitstatus_to_exitcode(status) == 0
            assert not stop()
    finally:
        stop.restore()


def test_a_second_signal_raised_inside_a_finalizer_still_stops_at_once():
    # Python only prints an exception raised in __del__ (a Dask future's, in a cluster run):
    # the stop at once must reach the main thread all the same, with no traceback printed.
    class Finalized:
        def __del__(self):
            raise KeyboardInterrupt

    stop = StopOnSignal()
    try:
        with stop, pytest.raises(KeyboardInterrupt):
            os.kill(os.getpid(), signal.SIGINT)  # the first signal asks for a stop
            assert stop()
            Finalized()
            time.sleep(5)  # the stop at once cuts this short
    finally:
        stop.restore()
