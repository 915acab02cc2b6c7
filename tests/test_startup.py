"""The server refuses to start on settings that would be unsafe or cannot be used (a real
process): one message per problem, Korean and English, no traceback."""

from __future__ import annotations

import pytest

from tests.server import start_streamlit


@pytest.mark.slow
@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"ITDA_ACCESS_MODE": "oidc", "ITDA_SHARE_SECRET": ""}, "ITDA_SHARE_SECRET"),
        ({"ITDA_ACCESS_MODE": "oidc", "ITDA_SHARE_SECRET": "too-short"}, "at least 32"),
        ({"ITDA_ACCESS_MODE": "oidc", "ITDA_SHARE_SECRET": "k" * 40}, "[auth]"),
        ({"ITDA_ACCESS_MODE": "everyone"}, "Unknown ITDA_ACCESS_MODE 'everyone'"),
        ({"ITDA_POOL_SIZE": "many"}, "Setting ITDA_POOL_SIZE has an unusable value 'many'"),
    ],
)
def test_the_server_refuses_to_start(tmp_path, env, expected):
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    secrets = tmp_path / "secrets.toml"
    secrets.write_text("# no [auth] here\n", encoding="utf-8")
    with pytest.raises(RuntimeError) as caught:
        # Only this secrets file: nothing from a developer's own .streamlit/secrets.toml.
        start_streamlit(url, env=env, timeout_s=40, secrets_file=secrets)
    message = str(caught.value)
    assert "exited with code 2" in message
    assert "잇다를 시작할 수 없습니다 · Itda cannot start" in message
    assert expected in message
    assert "Traceback" not in message
