"""deploy/nginx.conf made runnable in a temporary folder: a self-signed certificate, the
log and pid files there, and (for a live test) the replicas' and the listener's ports.

Used by tests/test_deploy_files.py (`nginx -t`) and tests/browser/test_nginx_replicas.py
(nginx in front of two live replicas). Only paths and ports change; every directive the
city installs is the one tested.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

NGINX = Path(__file__).resolve().parent.parent / "deploy" / "nginx.conf"
DEPLOYED_PORTS = (8501, 8502)


def self_signed(folder: Path, name: str = "itda") -> None:
    """`folder/itda.key` and `folder/itda.crt` for 127.0.0.1 and itda.city.go.kr (2 days)."""
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
         "-subj", "/CN=itda.city.go.kr", "-addext", "subjectAltName=IP:127.0.0.1",
         "-keyout", str(folder / f"{name}.key"), "-out", str(folder / f"{name}.crt")],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip


def site(
    folder: Path, replicas: tuple[int, ...] | None = None, https_port: int | None = None
) -> str:
    """The site file with its certificate and log in `folder`; with `replicas`, the
    upstream servers on those loopback ports; with `https_port`, the TLS server listening
    there on 127.0.0.1 only (and the plain-HTTP redirect on the next port)."""
    text = NGINX.read_text(encoding="utf-8")
    text = text.replace("/etc/itda/tls/", f"{folder}/").replace("/var/log/nginx/", f"{folder}/")
    if replicas is not None:
        assert len(replicas) == len(DEPLOYED_PORTS)
        for deployed, port in zip(DEPLOYED_PORTS, replicas, strict=True):
            text = text.replace(f"server 127.0.0.1:{deployed} ", f"server 127.0.0.1:{port} ")
    if https_port is not None:
        text = text.replace("    listen [::]:443 ssl http2;\n", "").replace(
            "    listen [::]:80;\n", ""
        )
        text = text.replace("listen 443 ssl http2;", f"listen 127.0.0.1:{https_port} ssl http2;")
        text = text.replace("listen 80;", f"listen 127.0.0.1:{https_port + 1};")
    return text


def main_config(folder: Path, site_text: str) -> Path:
    """A minimal nginx.conf in `folder` whose http block holds `site_text`."""
    (folder / "itda.conf").write_text(site_text, encoding="utf-8")
    temp = "".join(
        f"  {kind}_temp_path {folder}/{kind};\n"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    main = folder / "nginx.conf"
    main.write_text(
        f"pid {folder}/nginx.pid;\nerror_log {folder}/error.log;\n"
        f"events {{}}\nhttp {{\n  access_log off;\n{temp}  include {folder}/itda.conf;\n}}\n",
        encoding="utf-8",
    )
    return main
