"""Run one TLC process: stream its output, enforce the timeout, and kill it (and only it) when needed."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from failure_lab.trace_check.tlc.errors import TlcError

Clock = Callable[[], float]


@dataclass(frozen=True, slots=True)
class Finished:
    """What a process left behind: its output, how it exited, how long it ran."""

    stdout: str
    stderr: str
    exit_code: int | None
    seconds: float
    timed_out: bool


def run_process(
    argv: Sequence[str],
    *,
    cwd: Path,
    timeout: float | None,
    on_line: Callable[[str], None],
    clock: Clock,
) -> Finished:
    """Run ``argv`` to the end or until ``timeout`` seconds pass; ``on_line`` sees stdout as it comes."""
    started = clock()
    try:
        process = subprocess.Popen(
            list(argv),
            cwd=cwd,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
            errors="replace",
            # Its own process group, so a kill reaches the JVM and nothing else of ours.
            start_new_session=True,
        )
    except OSError as error:
        raise TlcError(f"cannot start {argv[0]}: {error.strerror}") from None
    assert process.stdout is not None and process.stderr is not None
    stdout_lines: list[str] = []
    stderr_chunks: list[str] = []
    stdout, stderr = process.stdout, process.stderr

    def pump_stdout() -> None:
        for line in stdout:
            stdout_lines.append(line)
            on_line(line)

    def pump_stderr() -> None:
        stderr_chunks.append(stderr.read())

    pumps = [threading.Thread(target=pump, daemon=True) for pump in (pump_stdout, pump_stderr)]
    for pump in pumps:
        pump.start()
    timed_out = False
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        timed_out = True
        _kill(process)
    except BaseException:
        _kill(process)
        raise
    finally:
        for pump in pumps:
            pump.join()
        stdout.close()
        stderr.close()
    exit_code = None if timed_out or process.returncode < 0 else process.returncode
    return Finished(
        stdout="".join(stdout_lines),
        stderr="".join(stderr_chunks),
        exit_code=exit_code,
        seconds=clock() - started,
        timed_out=timed_out,
    )


def _kill(process: subprocess.Popen[str]) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()
