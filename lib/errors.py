"""Turning exceptions into one clear sentence in the user's language."""

from __future__ import annotations

import sqlalchemy as sa

from lib.period import PeriodError


class UserError(Exception):
    """An error whose message is meant for the user, in Korean and English."""

    def __init__(self, ko: str, en: str) -> None:
        super().__init__(en)
        self.ko, self.en = ko, en


class InputError(UserError):
    """The user's input cannot be used: a bad argument, an unknown code, a file that cannot
    be read or written. The CLI exits with 2 for it (as argparse does for a bad option),
    and with 1 when the input was read and refused or when something else failed."""


def user_message(exc: BaseException, lang: str = "ko") -> str:
    """One line for the terminal or the page; details stay in the server log."""
    if isinstance(exc, UserError):
        return exc.ko if lang == "ko" else exc.en
    if isinstance(exc, PeriodError):
        return f"기간을 이해할 수 없습니다: {exc}" if lang == "ko" else f"Invalid period: {exc}"
    if isinstance(exc, sa.exc.OperationalError):
        return (
            "데이터베이스에 연결할 수 없습니다. DATABASE_URL 설정을 확인하세요."
            if lang == "ko"
            else "Cannot reach the database. Check the DATABASE_URL setting."
        )
    return f"오류: {exc}" if lang == "ko" else f"Error: {exc}"
