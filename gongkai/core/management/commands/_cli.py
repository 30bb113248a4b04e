"""Shared helpers of the calendar commands: Chinese errors on stderr, exit code 1, no traceback."""

from __future__ import annotations

import datetime as dt
import sys

from django.core.management.base import BaseCommand


class CommandFailed(Exception):
    """A user error the command reports in one Chinese message."""


def parse_date(value: str, what: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise CommandFailed(f"{what}“{value}”不是有效日期，请写成 YYYY-MM-DD，如 2026-09-28。") from None


def parse_int(value: str, what: str, *, minimum: int | None = None) -> int:
    try:
        number = int(value)
    except ValueError:
        raise CommandFailed(f"{what}“{value}”不是整数。") from None
    if minimum is not None and number < minimum:
        raise CommandFailed(f"{what}不能小于 {minimum}（现为 {number}）。")
    return number


def fail(command: BaseCommand, message: str) -> None:
    command.stderr.write(message)
    sys.exit(1)
