"""The production configuration (.streamlit/config.toml) and what a running server shows of it.

The file: every hardening value. The server (app.py on loopback, ITDA_LOG_FORMAT=json):
`/_stcore/health` and the readiness route `/healthz` answer 200; an upload without the XSRF
cookie and header is refused (403) while the same request with them passes the check; no
`Access-Control-Allow-Origin: *`; every line of its log is one JSON object without an
e-mail address. A second server on an unreachable database: `/healthz` 503 with a short
body, no traceback, while `/_stcore/health` still says the process is up.
"""

from __future__ import annotations

import http.client
import json
import re
import tomllib
import urllib.error
import urllib.request
from collections.abc import Iterator
from email.message import Message

import pytest

from tests.server import PROJECT_ROOT, ServerHandle, free_port, start_streamlit

# As deploy/itda.env.example: JSON lines, and no welcome banner (plain text on stdout).
JSON_LOGS = {"ITDA_LOG_FORMAT": "json", "STREAMLIT_LOGGER_HIDE_WELCOME_MESSAGE": "true"}
CONFIG = tomllib.loads((PROJECT_ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("section", "key", "value"),
    [
        ("global", "developmentMode", False),
        ("client", "showErrorDetails", "none"),
        ("client", "toolbarMode", "minimal"),
        ("runner", "magicEnabled", False),
        ("browser", "gatherUsageStats", False),
        ("server", "headless", True),
        ("server", "fileWatcherType", "none"),
        ("server", "enableXsrfProtection", True),
        ("server", "enableCORS", True),
        ("server", "enableAgentApi", False),
        ("server", "maxUploadSize", 50),
    ],
)
def test_the_config_file_hardens(section: str, key: str, value: object) -> None:
    assert CONFIG[section][key] == value


def test_nothing_weakens_it() -> None:
    server = CONFIG["server"]
    # No TLS inside Streamlit (the proxy terminates it), no run-on-save, no metrics users.
    for key in ("sslCertFile", "sslKeyFile", "runOnSave", "unsafeMetricsUserAttributes"):
        assert key not in server, key
    assert server.get("xsrfCookieSameSite", "lax") in ("lax", "strict")
    assert "*" not in server.get("corsAllowedOrigins", [])


def _get(base_url: str, path: str, headers: dict | None = None) -> tuple[int, Message, str]:
    request = urllib.request.Request(base_url + path, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=15) as response:
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode()


def _put(port: int, path: str, headers: dict[str, str]) -> int:
    body, boundary = b"", "itda"
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n'
        f"Content-Type: text/csv\r\n\r\nx\r\n--{boundary}--\r\n"
    ).encode()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=15)
    try:
        headers = {"Content-Type": f"multipart/form-data; boundary={boundary}", **headers}
        conn.request("PUT", path, body=body, headers=headers)
        return conn.getresponse().status
    finally:
        conn.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerHandle]:
    from lib.db import make_engine, migrate

    url = f"sqlite:///{tmp_path_factory.mktemp('ops') / 'ops.db'}"
    engine = make_engine(url)
    migrate(engine)
    engine.dispose()
    with start_streamlit(url, env=JSON_LOGS) as handle:
        yield handle


@pytest.mark.slow
def test_health_and_readiness_answer_ok(server: ServerHandle) -> None:
    assert _get(server.base_url, "/_stcore/health")[::2] == (200, "ok")
    status, headers, body = _get(server.base_url, "/healthz")
    assert (status, body) == (200, "ok")
    assert headers["Cache-Control"] == "no-store"


@pytest.mark.slow
def test_an_upload_without_the_xsrf_token_is_refused(server: ServerHandle) -> None:
    path = "/_stcore/upload_file/some-session/some-file"
    assert _put(server.port, path, {}) == 403
    # A cookie from the server but no header (what another site's form could send): refused.
    status, headers, _ = _get(server.base_url, "/_stcore/health")
    cookie = re.search(r"_streamlit_xsrf=([^;]+)", headers["Set-Cookie"]).group(1)
    assert _put(server.port, path, {"Cookie": f"_streamlit_xsrf={cookie}"}) == 403
    forged = "2|00000000|" + "00" * 32 + "|1"
    assert (
        _put(server.port, path, {"Cookie": f"_streamlit_xsrf={cookie}", "X-Xsrftoken": forged})
        == 403
    )
    # The page's own request (cookie and the same token as header) passes the XSRF check and
    # fails later only because there is no such session (not 403).
    status = _put(server.port, path, {"Cookie": f"_streamlit_xsrf={cookie}", "X-Xsrftoken": cookie})
    assert status != 403 and 400 <= status < 500


@pytest.mark.slow
def test_no_wildcard_cross_origin_answer(server: ServerHandle) -> None:
    _, headers, _ = _get(server.base_url, "/_stcore/health", {"Origin": "https://evil.example"})
    assert headers.get("Access-Control-Allow-Origin") in (None, "")


@pytest.mark.slow
def test_the_server_log_is_one_json_object_per_line(server: ServerHandle) -> None:
    _get(server.base_url, "/healthz")
    lines = [line for line in server.log().splitlines() if line.strip()]
    assert lines, "the server logged nothing"
    for line in lines:
        json.loads(line)  # Streamlit's own lines included
    assert "@" not in server.log()


@pytest.mark.slow
def test_readiness_on_an_unreachable_database_is_503_without_a_traceback() -> None:
    # A PostgreSQL URL on a loopback port where nothing listens.
    url = f"postgresql+psycopg://itda@127.0.0.1:{free_port()}/itda"
    with start_streamlit(url, env=JSON_LOGS) as handle:
        assert _get(handle.base_url, "/_stcore/health")[::2] == (200, "ok")  # the process is up
        status, _, body = _get(handle.base_url, "/healthz")
        assert (status, body) == (503, "database unavailable")
        log = handle.log()
    reasons = [json.loads(x) for x in log.splitlines() if "readiness" in x]
    assert (
        reasons and reasons[-1]["message"] == "readiness: database unavailable (OperationalError)"
    )
    assert "Traceback" not in log
