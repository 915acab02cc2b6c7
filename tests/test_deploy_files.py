"""The deployment files: deploy/itda@.service (systemd) and deploy/nginx.conf.

The unit's keys are read back and checked, then `systemd-analyze verify` judges a copy whose
paths point at this checkout (it insists the program exists; warnings count as failures).
The nginx file is checked for what Itda needs (TLS, sticky sessions, the WebSocket upgrade,
the metrics blocked, the upload size of config.toml) and, where nginx is installed
(Debian's nginx-light; bin/test installs it), by `nginx -t` inside a minimal main
configuration with a self-signed certificate.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tomllib
from collections import defaultdict
from pathlib import Path

import pytest

from tests import nginx_site
from tests.server import PROJECT_ROOT

DEPLOY = PROJECT_ROOT / "deploy"
UNIT = DEPLOY / "itda@.service"
NGINX = DEPLOY / "nginx.conf"
CONFIG = tomllib.loads((PROJECT_ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))


def _unit(text: str) -> dict[str, dict[str, list[str]]]:
    """systemd's INI dialect: sections of keys, a key may repeat, # and ; comments."""
    sections: dict[str, dict[str, list[str]]] = {}
    current = None
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line[0] in "#;":
            continue
        if line.startswith("[") and line.endswith("]"):
            current = sections.setdefault(line[1:-1], defaultdict(list))
            continue
        assert current is not None and "=" in line, f"line {number}: {raw!r}"
        key, value = line.split("=", 1)
        current[key.strip()].append(value.strip())
    return sections


def test_the_unit_runs_the_app_unprivileged_and_hardened() -> None:
    unit = _unit(UNIT.read_text(encoding="utf-8"))
    assert set(unit) == {"Unit", "Service", "Install"}
    service = {key: values[-1] for key, values in unit["Service"].items()}
    assert service["User"] == service["Group"] == "itda"
    assert service["EnvironmentFile"] == "/etc/itda/itda.env"
    assert service["Restart"] == "on-failure"
    command = service["ExecStart"].split()
    assert command[1:5] == ["-m", "streamlit", "run", "app.py"]
    assert command[command.index("--server.address") + 1] == "127.0.0.1"  # nginx only
    assert command[command.index("--server.port") + 1] == "%i"  # one replica per port
    for key, value in {
        "NoNewPrivileges": "yes",
        "ProtectSystem": "strict",
        "ProtectHome": "yes",
        "PrivateTmp": "yes",
        "PrivateDevices": "yes",
        "CapabilityBoundingSet": "",
        "RestrictSUIDSGID": "yes",
    }.items():
        assert service[key] == value, key
    # With a read-only system, only the data folder (SQLite) and the state directory.
    assert service["ReadWritePaths"].split() == ["/opt/itda/data"]
    assert service["WorkingDirectory"] + "/data" == "/opt/itda/data"
    assert unit["Install"]["WantedBy"] == ["multi-user.target"]


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="no systemd-analyze")
def test_systemd_analyze_verifies_the_unit(tmp_path: Path) -> None:
    text = UNIT.read_text(encoding="utf-8")
    text = text.replace("/opt/itda/.venv/bin/python", sys.executable)
    text = text.replace("/opt/itda", str(PROJECT_ROOT))
    env = tmp_path / "itda.env"
    env.write_text((DEPLOY / "itda.env.example").read_text(encoding="utf-8"))
    text = text.replace("/etc/itda/itda.env", str(env))
    copy = tmp_path / "itda@8501.service"
    copy.write_text(text, encoding="utf-8")
    done = subprocess.run(
        ["systemd-analyze", "verify", "--man=no", str(copy)],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    # Unknown keys and bad values are only warnings (exit 0): any output fails the test.
    assert done.returncode == 0 and done.stderr.strip() == "" and done.stdout.strip() == "", (
        done.stdout + done.stderr
    )


def test_the_env_example_names_only_known_settings() -> None:
    from lib import config

    known = {s.env for s in config.SETTINGS} | {"DATABASE_URL"}
    for line in (DEPLOY / "itda.env.example").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name = line.split("=", 1)[0]
            assert name in known or name.startswith("STREAMLIT_"), name


def _blocks_balance(text: str) -> bool:
    depth = 0
    for char in re.sub(r"#.*", "", text).replace('"{"', ""):
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0


def test_nginx_has_tls_sticky_sessions_and_the_websocket_upgrade() -> None:
    text = NGINX.read_text(encoding="utf-8")
    assert _blocks_balance(text)
    upstream = re.search(r"upstream itda \{(.*?)\}", text, re.S).group(1)
    assert "hash $itda_route consistent;" in upstream
    assert re.findall(r"server (127\.0\.0\.1:\d+)", upstream) == [
        "127.0.0.1:8501", "127.0.0.1:8502",
    ]  # fmt: skip
    stream = re.search(r"location = /_stcore/stream \{(.*?)\}", text, re.S).group(1)
    for line in (
        "proxy_http_version 1.1;",
        "proxy_set_header Upgrade $http_upgrade;",
        "proxy_set_header Connection $itda_connection;",
        "proxy_set_header Host $http_host;",
        "proxy_read_timeout 3600s;",
    ):
        assert line in stream, line
    assert re.search(r"listen 443 ssl", text) and "ssl_certificate_key" in text
    assert "return 301 https://" in text
    assert "location = /_stcore/metrics { return 404; }" in text
    size = re.search(r"client_max_body_size (\d+)m;", text).group(1)
    assert int(size) == CONFIG["server"]["maxUploadSize"]
    assert "add_header Set-Cookie $itda_route_cookie always;" in text


@pytest.mark.skipif(shutil.which("nginx") is None, reason="nginx is not installed")
def test_nginx_accepts_the_configuration(tmp_path: Path) -> None:
    nginx_site.self_signed(tmp_path)
    main = nginx_site.main_config(tmp_path, nginx_site.site(tmp_path))
    done = subprocess.run(
        ["nginx", "-t", "-p", str(tmp_path), "-c", str(main)],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "syntax is ok" in done.stderr and "test is successful" in done.stderr
    assert "[warn]" not in done.stderr, done.stderr
