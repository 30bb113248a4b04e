"""A small registry through which a lower package tells higher ones that something happened.

A package declares its hooks (`documents/hooks.py`); a package above it registers a receiver in its
`AppConfig.ready`. The lower package calls the hook and never imports the receivers, so the layers stay
one-way (docs/architecture.md). Receivers run in registration order, synchronously, inside the caller's
transaction; one that must wait for the commit uses `transaction.on_commit` itself. An exception from a
receiver reaches the caller: a gate refuses a step by raising `ValidationError`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


class Hook:
    """A named point that receivers register with; calling it calls each of them with the same arguments."""

    def __init__(self, name: str, doc: str = "") -> None:
        self.name = name
        self.__doc__ = doc
        self._receivers: list[Callable[..., Any]] = []

    def register(self, receiver: Callable[..., Any]) -> Callable[..., Any]:
        """Add a receiver (once; registering it again is a no-op). Usable as a decorator."""
        if receiver not in self._receivers:
            self._receivers.append(receiver)
        return receiver

    def unregister(self, receiver: Callable[..., Any]) -> None:
        if receiver in self._receivers:
            self._receivers.remove(receiver)

    @property
    def receivers(self) -> tuple[Callable[..., Any], ...]:
        return tuple(self._receivers)

    def __call__(self, **kwargs: Any) -> list[Any]:
        return [receiver(**kwargs) for receiver in list(self._receivers)]

    def __repr__(self) -> str:
        return f"<Hook {self.name}: {len(self._receivers)} receivers>"
