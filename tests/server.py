"""Start the Itda Streamlit app on a free loopback port, for browser tests.

    with start_streamlit("sqlite:///…/city.db") as server:
        page.goto(server.base_url + "/?period=2024")

`secrets_file` gives the server its own secrets.toml (e.g. an `[auth]` block for sign-in
tests, see tests/oidc.py) instead of the usual ones (`~/.streamlit/secrets.toml`, the
project's `.streamlit/secrets.toml`), which that server then never reads.

The server runs in its own process group so that stopping it also stops anything it
spawned; its stderr goes to a temporary file that is quoted when it fails to start.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Mapping
from pathlib import Path
from types import TracebackType
from typing import Self

PROJECT_ROOT = Path(__file__).resolve().parent.parent
START_TIMEOUT_S = 60.0
STOP_TIMEOUT_S = 10.0


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ProcessHandle:
    """A server process of a test, in its own process group, logging to a file; stop()
    ends the whole group (also a context manager)."""

    def __init__(self, process: subprocess.Popen, port: int, log_path: Path) -> None:
        self.process = process
        self.port = port
        self.log_path = log_path

    def log(self) -> str:
        """The process's stderr and stdout so far."""
        try:
            return self.log_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""

    def stop(self) -> None:
        """Terminate the process group, then kill it if it does not exit in time."""
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=STOP_TIMEOUT_S)
        with contextlib.suppress(OSError):
            self.log_path.unlink()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


class ServerHandle(ProcessHandle):
    """A running Streamlit server: its URL, and how to stop it."""

    def __init__(self, process: subprocess.Popen, port: int, log_path: Path) -> None:
        super().__init__(process, port, log_path)
        self.base_url = f"http://127.0.0.1:{port}"


def _health(base_url: str) -> str:
    """The body of /_stcore/health, or '' when the server does not answer yet."""
    try:
        with urllib.request.urlopen(base_url + "/_stcore/health", timeout=2) as response:
            return response.read().decode("utf-8", errors="replace").strip()
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return ""


def start_streamlit(
    database_url: str,
    port: int | None = None,
    env: Mapping[str, str] | None = None,
    script: str | Path = "app.py",
    timeout_s: float = START_TIMEOUT_S,
    secrets_file: str | Path | None = None,
) -> ServerHandle:
    """A Streamlit server running `script` on `database_url`, answering /_stcore/health;
    with `secrets_file`, its only secrets are that file's (Streamlit's `secrets.files`)."""
    port = port or free_port()
    # The demo city must never be built on top of a test database.
    child_env = {**os.environ, "DATABASE_URL": database_url, "ITDA_DEMO_ON_EMPTY": "0"}
    child_env.update(env or {})
    command = [
        sys.executable, "-m", "streamlit", "run", str(script),
        "--server.headless", "true",
        "--server.port", str(port),
        "--server.address", "127.0.0.1",
        "--server.fileWatcherType", "none",
        "--browser.gatherUsageStats", "false",
    ]  # fmt: skip
    if secrets_file is not None:
        # Replaces the default list of secrets locations, so no developer's file leaks in.
        command += ["--secrets.files", str(Path(secrets_file).resolve())]
    # A file, not a pipe: a pipe nobody reads fills up and blocks the server.
    log_file = tempfile.NamedTemporaryFile(  # closed below, kept on disk until stop()
        prefix="itda-streamlit-", suffix=".log", delete=False
    )
    with log_file:
        process = subprocess.Popen(
            command,
            cwd=PROJECT_ROOT,
            env=child_env,
            stdin=subprocess.DEVNULL,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    handle = ServerHandle(process, port, Path(log_file.name))
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log = handle.log()
            handle.stop()
            raise RuntimeError(
                f"Streamlit exited with code {process.returncode} before answering on "
                f"port {port}:\n{log}"
            )
        if _health(handle.base_url) == "ok":
            return handle
        time.sleep(0.25)
    log = handle.log()
    handle.stop()
    raise RuntimeError(
        f"Streamlit did not answer /_stcore/health with 'ok' within {timeout_s:.0f} s "
        f"on port {port}:\n{log}"
    )
