"""The public-opinion clocks (RULES §8, seed 001 (八)) and the press-conference lead time (seed 001 (九)).

A clock runs from the incident's first-seen time: authoritative information within `info_hours` (the
target) and at the latest `info_latest_hours`; for the levels that need it, a press conference within
`press_hours`. The state of each clock is judged by the actions recorded up to `now`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from gongkai.core import workdays

from . import conf
from .models import Incident, IncidentAction, OpinionClock, PressConference

STATE_LABELS = {"met": "按时", "met_late": "超过目标时限但未超过最迟时限", "running": "计时中", "missed": "已超时"}


@dataclass(frozen=True)
class Clock:
    key: str  # "info" / "press"
    label: str
    due_at: dt.datetime
    latest_at: dt.datetime
    done_at: dt.datetime | None
    state: str  # met / met_late / running / missed

    @property
    def state_label(self) -> str:
        return STATE_LABELS[self.state]

    @property
    def overdue(self) -> bool:
        return self.state == "missed"


def clock_rule(level: str) -> dict:
    row = OpinionClock.objects.filter(level=level).first()
    if row is not None:
        return {"info_hours": row.info_hours, "info_latest_hours": row.info_latest_hours, "press_hours": row.press_hours}
    return dict(conf.OPINION_CLOCKS[level])


def _state(done: dt.datetime | None, due: dt.datetime, latest: dt.datetime, now: dt.datetime) -> str:
    if done is not None:
        if done <= due:
            return "met"
        # Seed 001 sets a target (3 h) and a hard limit (5 h): between them the clock is kept, not missed.
        return "met_late" if done <= latest else "missed"
    return "missed" if now > latest else "running"


def incident_clocks(*, incident: Incident, now: dt.datetime | None = None) -> list[Clock]:
    now = now or timezone.now()
    rule = clock_rule(incident.level)
    actions = [a for a in incident.actions.all() if a.at <= now]
    seen = incident.first_seen_at

    def first(kind: str) -> dt.datetime | None:
        times = [a.at for a in actions if a.kind == kind]
        return min(times) if times else None

    info_due = seen + dt.timedelta(hours=rule["info_hours"])
    info_latest = seen + dt.timedelta(hours=rule["info_latest_hours"])
    done = first(IncidentAction.Kind.INFO)
    clocks = [Clock("info", "发布权威信息", info_due, info_latest, done, _state(done, info_due, info_latest, now))]
    if rule.get("press_hours"):
        due = seen + dt.timedelta(hours=rule["press_hours"])
        done = first(IncidentAction.Kind.PRESS)
        state = _state(done, due, due, now)
        clocks.append(Clock("press", "举行新闻发布会", due, due, done, state))
    return clocks


def incident_met(clocks: list[Clock]) -> bool:
    """Every clock kept within its hard limit (seed 001: 最迟不超过 5 小时)."""
    return all(c.state in ("met", "met_late") for c in clocks)


# --- Press conferences -------------------------------------------------------------------------------------
def press_lead_days(conference: PressConference) -> int:
    """3 working days for a government's own conference, 5 for a department's (seed 001 (九))."""
    kind = "government" if conference.organisation.kind == "government" else "department"
    return conf.PRESS_LEAD_WORKING_DAYS[kind]


def press_plan_due_on(conference: PressConference) -> dt.date:
    """The last day to file the plan: `lead` working days before the conference (the filing day and the
    conference day not counted alike: working_days_between(filed, held) ≥ lead)."""
    lead = press_lead_days(conference)
    day = conference.held_on
    while workdays.working_days_between(day, conference.held_on) < lead:
        day -= dt.timedelta(days=1)
    return day


def press_plan_on_time(conference: PressConference) -> bool | None:
    if conference.plan_filed_on is None:
        return None
    return conference.plan_filed_on <= press_plan_due_on(conference)
