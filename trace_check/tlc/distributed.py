"""TLC's distributed mode: a ``TLCServer`` holds the state queue, ``TLCWorker`` processes explore it.

The server and workers come from the same ``tla2tools.jar`` and talk Java RMI on one port. Here the
server always runs on this machine; ``Cluster.local_workers`` worker processes are started beside it
(on loopback in the tests), and workers on other machines join with
``java -Dtlc2.tool.distributed.TLCServer.port=PORT -cp tla2tools.jar tlc2.tool.distributed.TLCWorker HOST``.
A distributed run is never cached: its point is the run itself.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass, replace
from pathlib import Path

from failure_lab.trace_check.outcome import Outcome
from failure_lab.trace_check.tlc.errors import TlcError
from failure_lab.trace_check.tlc.jar import TlcJar, find_jar
from failure_lab.trace_check.tlc.java import find_java
from failure_lab.trace_check.tlc.process import Clock, Finished
from failure_lab.trace_check.tlc.result import TlcResult
from failure_lab.trace_check.tlc.runner import JVM_OPTIONS, REPRODUCIBLE, TlcRequest, _result, _unfinished
from failure_lab.trace_check.tlc.workspace import Workspace

DEFAULT_PORT = 10997  # TLC's own default for the server's RMI registry
_PORT_PROPERTY = "-Dtlc2.tool.distributed.TLCServer.port"


@dataclass(frozen=True, slots=True)
class Cluster:
    """Where the server listens and how many worker processes to start on this machine."""

    port: int = DEFAULT_PORT
    # The address the server gives its workers to call back on: this machine's name on the cluster's
    # network for a real cluster, loopback when every worker runs here.
    host: str = "127.0.0.1"
    local_workers: int = 2
    # How long to wait for the server's registry before starting the local workers.
    startup_seconds: float = 60.0


def free_port() -> int:
    """A TCP port nobody listens on right now (for runs that must not meet another server)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def run_distributed(
    request: TlcRequest, workspace: Workspace, cluster: Cluster, *, clock: Clock = time.monotonic
) -> TlcResult:
    """Check ``request`` with a TLC server here and its workers; the same figures as a local run."""
    spec = request.spec.resolve()
    config = (request.config or spec.with_suffix(".cfg")).resolve()
    for path, what in ((spec, "spec"), (config, "config")):
        if not path.is_file():
            raise TlcError(f"{path}: no such {what} file")
    if cluster.local_workers < 0:
        raise TlcError(f"--local-workers {cluster.local_workers}: expected zero or more")
    java, jar = find_java(), find_jar()
    # The server takes -fp but not -seed (its search is breadth-first, there is nothing to seed).
    fixed = ("-fp", REPRODUCIBLE["-fp"]) if "-fp" not in request.tlc_args else ()
    metadir = workspace.new_metadir()
    common = (*JVM_OPTIONS, *request.java_options, f"-Djava.rmi.server.hostname={cluster.host}",
              f"{_PORT_PROPERTY}={cluster.port}")  # fmt: skip
    server_argv = [
        str(java.path), *common, f"-Djava.io.tmpdir={metadir}", "-cp", str(jar.path),
        "tlc2.tool.distributed.TLCServer", "-tool", "-metadir", str(metadir / "states"),
        *fixed, *request.tlc_args, "-config", str(config), spec.name,
    ]  # fmt: skip
    logs = metadir / "logs"
    logs.mkdir()
    workers: list[subprocess.Popen[bytes]] = []
    started = clock()
    try:
        server = _start(server_argv, spec.parent, logs / "server.out", logs / "server.err")
        try:
            if cluster.local_workers and _wait_for_registry(cluster, server):
                workers = [_start_worker(java.path, jar, common, logs / f"worker-{n}.log", metadir)
                           for n in range(cluster.local_workers)]  # fmt: skip
            timed_out = False
            try:
                server.wait(
                    timeout=None if request.timeout is None else max(request.timeout - (clock() - started), 0)
                )
            except subprocess.TimeoutExpired:
                timed_out = True
        finally:
            # Whatever happened (a timeout, Ctrl-C), no JVM of this run outlives it.
            _kill(server)
            for worker in workers:
                _stop(worker)
        exit_code = None if timed_out or server.returncode < 0 else server.returncode
        finished = Finished(
            stdout=(logs / "server.out").read_text(encoding="utf-8", errors="replace"),
            stderr=(logs / "server.err").read_text(encoding="utf-8", errors="replace"),
            exit_code=exit_code,
            seconds=clock() - started,
            timed_out=timed_out,
        )
    finally:
        shutil.rmtree(metadir, ignore_errors=True)
    output = workspace.runs / f"{spec.stem}-{config.stem}-distributed.out"
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(finished.stdout, encoding="utf-8")
    if finished.timed_out:
        return _unfinished(spec, config, jar, output, finished, Outcome.TIMEOUT)
    result = _result(spec, config, jar, output, finished.stdout, finished.exit_code, finished.seconds,
                     cached=False)  # fmt: skip
    if result.outcome is Outcome.OK and result.traces:
        # TLC 2.15's server reports a violation only as a bare trace, without naming the invariant,
        # and the trace starts at the violating state's predecessor, not at an initial state: it
        # cannot be replayed. The verdict stands; the counterexample comes from a local run.
        return replace(
            result,
            outcome=Outcome.INVARIANT_VIOLATED,
            traces=(),
            message="TLC's distributed mode found a violation; run without --distributed for the "
            "invariant's name and the counterexample",
        )
    if result.outcome is Outcome.CRASHED and result.message is None:
        lines = [line for line in (finished.stderr + finished.stdout).splitlines() if line.strip()]
        return replace(result, message=lines[-1].strip() if lines else None)
    return result


def _start(argv: list[str], cwd: Path, stdout: Path, stderr: Path) -> subprocess.Popen[bytes]:
    with stdout.open("wb") as out, stderr.open("wb") as err:
        try:
            # Its own process group, so a kill reaches its JVM and nothing else of ours.
            return subprocess.Popen(argv, cwd=cwd, stdin=subprocess.DEVNULL, stdout=out, stderr=err,
                                    start_new_session=True)  # fmt: skip
        except OSError as error:
            raise TlcError(f"cannot start {argv[0]}: {error.strerror}") from None


def _kill(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
    process.wait()


def _wait_for_registry(cluster: Cluster, server: subprocess.Popen[bytes]) -> bool:
    """Whether the server's RMI registry accepts connections before the server ends or time runs out."""
    # Polling a port is waiting on another process, not reading the time of the model: no clock to inject.
    deadline = time.monotonic() + cluster.startup_seconds
    while server.poll() is None and time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", cluster.port), timeout=1):
            return True
        with contextlib.suppress(subprocess.TimeoutExpired):
            server.wait(0.1)
    return False


def _start_worker(
    java: Path, jar: TlcJar, common: tuple[str, ...], log: Path, metadir: Path
) -> subprocess.Popen[bytes]:
    with log.open("wb") as sink:
        return subprocess.Popen(
            [
                str(java),
                *common,
                f"-Djava.io.tmpdir={metadir}",
                "-cp",
                str(jar.path),
                "tlc2.tool.distributed.TLCWorker",
                "127.0.0.1",
            ],
            stdin=subprocess.DEVNULL,
            stdout=sink,
            stderr=subprocess.STDOUT,
            # Its own process group, so stopping it reaches its JVM and nothing else of ours.
            start_new_session=True,
        )


def _stop(worker: subprocess.Popen[bytes]) -> None:
    """Let a worker leave on its own once the server is done; kill its group if it lingers."""
    with contextlib.suppress(subprocess.TimeoutExpired):
        worker.wait(timeout=10)
    _kill(worker)
