"""Background work of subscriptions (huey): matching after a publication, sending the e-mail queue with
retries, the daily and weekly digests, following consultations and datasets, purging unverified accounts.

On the embedded default huey runs tasks in its SQLite queue (or inline with TASKS_IMMEDIATE); in
production with Redis. Every task is safe to run twice (unique pushes, idempotency keys, claimed sends).
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import HUEY, db_periodic_task, db_task
from huey.exceptions import TaskLockedException

from . import conf, services
from .models import Subscriber

# Two matchers or two senders never overlap. A task that finds the lock taken returns quietly (huey would
# log a warning for every publication of a busy minute, as at the demo's first start): the worker holding
# the lock is doing the same work, and what it misses the five-minute retry below picks up.
_MATCH_LOCK = HUEY.lock_task("subscriptions-match")
_SEND_LOCK = HUEY.lock_task("subscriptions-send")


def _locked(lock, work) -> int:
    try:
        with lock:
            return work()
    except TaskLockedException:
        return 0


@db_task()
def match_pending_task() -> int:
    return _locked(_MATCH_LOCK, services.match_pending)


@db_task()
def messages_send_task() -> int:
    return _locked(_SEND_LOCK, services.messages_send)


@db_periodic_task(crontab(minute="*/5"))
def messages_retry() -> int:
    """Every five minutes: matching left over (a worker died, or a task found the lock taken) and due retries
    of failed sends — under the same locks as the tasks."""
    _locked(_MATCH_LOCK, services.match_pending)
    return _locked(_SEND_LOCK, services.messages_send)


@db_periodic_task(crontab(minute="0"))
def digests() -> int:
    """Hourly: at DIGEST_HOUR (local) the daily digests, on DIGEST_WEEKDAY also the weekly ones."""
    now = timezone.localtime()
    if now.hour != conf.DIGEST_HOUR:
        return 0
    made = services.messages_assemble_digest(frequency=Subscriber.Frequency.DAILY, now=now)
    if now.weekday() == conf.DIGEST_WEEKDAY:
        made += services.messages_assemble_digest(frequency=Subscriber.Frequency.WEEKLY, now=now)
    return made


@db_periodic_task(crontab(minute="*/15"))
def followed_check() -> int:
    return services.followed_check()


@db_periodic_task(crontab(hour="4", minute="30"))
def purge_unverified() -> int:
    return services.subscribers_purge_unverified()


def send_after_commit() -> None:
    """Registered on hooks.messages_queued: start the sender once the queued e-mails are committed."""
    transaction.on_commit(messages_send_task)
