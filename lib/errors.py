"""Turning exceptions into one clear sentence in the user's language."""

from __future__ import annotations

from lib import db_errors
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


def user_message(exc: BaseException, lang: str = "ko", *, for_cli: bool = False) -> str:
    """One line for the terminal or the page; details stay in the server log.

    `for_cli`: database trouble also says what an operator should check (DATABASE_URL…).
    """
    if isinstance(exc, UserError):
        return exc.ko if lang == "ko" else exc.en
    if isinstance(exc, PeriodError):
        return f"기간을 이해할 수 없습니다: {exc}" if lang == "ko" else f"Invalid period: {exc}"
    kind = db_errors.classify(exc)
    if kind is not None:  # unreachable, timeout, read-only, disk full… (lib.db_errors)
        return db_errors.cli_message(kind, lang) if for_cli else db_errors.message(kind, lang)
    return f"오류: {exc}" if lang == "ko" else f"Error: {exc}"


def exit_code(exc: BaseException) -> int:
    """The CLI's exit status for `exc`: 2 for input that cannot be used (`InputError`, a
    period that is not one), database trouble by its kind (lib.db_errors), else 1."""
    if isinstance(exc, InputError | PeriodError):
        return 2
    kind = db_errors.classify(exc)
    return 1 if kind is None else db_errors.exit_code(kind)
