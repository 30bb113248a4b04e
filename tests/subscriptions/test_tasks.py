"""The queue tasks of subscriptions: two matchers or senders never overlap, and one that finds the lock
taken returns quietly (no warning per publication; the five-minute retry picks up what it left)."""

import logging

import pytest

from gongkai.subscriptions import tasks


@pytest.mark.parametrize(("task", "lock", "work"), [
    (tasks.match_pending_task, tasks._MATCH_LOCK, "match_pending"),
    (tasks.messages_send_task, tasks._SEND_LOCK, "messages_send"),
])
def test_a_task_that_finds_its_lock_taken_does_nothing_and_logs_nothing(task, lock, work, monkeypatch, caplog):
    calls = []
    monkeypatch.setattr(tasks.services, work, lambda: calls.append(work) or 7)
    caplog.set_level(logging.WARNING)
    with lock:
        assert task.call_local() == 0
    assert calls == [] and not caplog.records
    assert task.call_local() == 7 and calls == [work]  # the lock is free again: the work runs


def test_the_retry_runs_both_under_the_same_locks(monkeypatch):
    calls = []
    monkeypatch.setattr(tasks.services, "match_pending", lambda: calls.append("match") or 1)
    monkeypatch.setattr(tasks.services, "messages_send", lambda: calls.append("send") or 3)
    with tasks._MATCH_LOCK:
        assert tasks.messages_retry.call_local() == 3
    assert calls == ["send"]
