"""Headless Debian chromium for the browser test: found, or installed with apt, or a clear skip reason."""

from __future__ import annotations

import os
import shutil
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

PACKAGES = ("chromium", "chromium-driver")
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)


def _binaries() -> tuple[str, str] | None:
    browser, driver = shutil.which("chromium"), shutil.which("chromedriver")
    return (browser, driver) if browser and driver else None


def ensure_chromium() -> tuple[str, str] | str:
    """The chromium and chromedriver paths, installing Debian's packages if needed; else why not."""
    found = _binaries()
    if found is not None:
        return found
    if shutil.which("apt-get") is None:
        return "chromium and chromedriver are not installed and there is no apt-get to install them"
    if os.geteuid() != 0:
        return "chromium and chromedriver are not installed, and installing them with apt-get needs root"
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for command in (["apt-get", "update"], ["apt-get", "install", "-y", *PACKAGES]):
        try:
            subprocess.run(command, check=True, capture_output=True, env=env, timeout=900)
        except (OSError, subprocess.SubprocessError) as error:
            return f"could not install {' '.join(PACKAGES)} with apt-get ({' '.join(command)}: {error})"
    return (
        _binaries() or f"apt-get installed {' '.join(PACKAGES)} but chromium or chromedriver is not on PATH"
    )


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        return None


@contextmanager
def serve(folder: Path) -> Iterator[str]:
    """Serve ``folder`` over HTTP on 127.0.0.1 (a free port) while the block runs; yields the base URL."""
    handler = partial(_QuietHandler, directory=str(folder))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
