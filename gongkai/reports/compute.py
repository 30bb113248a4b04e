"""Pure computation of the report's tables from facts (no database access here).

Counting rules (RULES §3; where the format is silent, the choice is stated):

Table 三 counts *episodes* of handling. An application is one episode from receipt to its
determination. A case reopened after reconsideration or a court decision starts a new episode on the
reopening date (counted as 本年新收 of that year, because the agency handles it anew); a case moved to
another organisation closes the sender's episode under （六）其他处理·3.其他 and starts one at the
receiver. A report whose scope holds both the sender and the receiver (a government-wide report that
includes its departments, 第四十九条/第五十条) counts such an application **once**: the sender's transfer
episode is left out and the receiver's episode starts on the day the sender received the application
(see `transfer_scope`; docs/applications-letters-fees.md, "Counting a transfer"). With episodes, each column satisfies 一 + 二 = 三（七） + 四 by construction:
- 一 本年新收: the episode started in the year;
- 二 上年结转: started before the year and still open on 1 January;
- 三 办理结果: concluded in the year, in the row of its outcome (partial disclosure only as 部分公开);
- 四 结转下年度: started by 31 December and still open on 31 December.
A case concluded on 31 December is counted in that year; one concluded on 1 January is carried over.

Table 四 counts remedy cases filed in the year; a case not decided by 31 December is 尚未审结.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from .format import (
    APPLICANT_COLUMNS,
    REMEDY_GROUPS,
    REMEDY_RESULTS,
    RESULT_ROW_KEYS,
    TABLE3_ROW_KEYS,
)

APPLICANT_KEYS = [key for key, _ in APPLICANT_COLUMNS]


@dataclass(frozen=True)
class Episode:
    """One stretch of handling of one application by one organisation."""

    organisation_id: int
    applicant_kind: str
    started_on: dt.date
    ended_on: dt.date | None = None
    outcome: str | None = None  # a result row key of format.TABLE3_ROWS when ended
    # Transfers (转送/转交, 条例 第三十六条(五)): the organisation this episode was moved to, and the earlier
    # episodes (organisation, started_on) that led into this one by transfer, oldest first.
    moved_to: int | None = None
    came_from: tuple[tuple[int, dt.date], ...] = ()
    in_transit: bool = False  # moved, the receiver has not recorded the receipt yet


def transfer_scope(episode: Episode, organisation_ids: set[int]) -> dt.date | None:
    """The start date an episode counts with in a report over `organisation_ids`, or None to leave it out.

    One application moved between two organisations of the same report is one application of that report:
    the move is internal to the reporting body, so it is neither 其他处理 at the sender nor 本年新收 at the
    receiver — it counts once, received when the first organisation in scope received it, concluded in the row
    of the final answer. A move across the scope's border keeps the per-organisation counting."""
    if episode.organisation_id not in organisation_ids:
        return None
    if episode.moved_to is not None and episode.moved_to in organisation_ids:
        return None  # the handling goes on inside the scope; the receiver's episode counts it
    started_on, merged = episode.started_on, False
    for organisation_id, since in reversed(episode.came_from):
        if organisation_id not in organisation_ids:
            break
        started_on, merged = since, True
    if episode.in_transit and not merged:
        return None  # the receiver counts the case once it records the receipt
    return started_on


@dataclass(frozen=True)
class RemedyFact:
    organisation_id: int
    kind: str  # reconsideration | litigation_direct | litigation_after_reconsideration
    filed_on: dt.date
    decided_on: dt.date | None = None
    result: str | None = None  # upheld | corrected | other


@dataclass(frozen=True)
class DocumentFact:
    """A 规章 or 行政规范性文件 with the dates that matter to Table 二."""

    kind: str  # rules | normative
    published_on: dt.date | None
    left_force_on: dt.date | None  # repealed or expired (the earlier), None if still in force
    withdrawn_on: dt.date | None = None
    in_force_from: dt.date | None = None  # effective date when later than publication


def table3_compute(episodes: Iterable[Episode], *, organisation_ids: set[int], year: int) -> dict[str, dict[str, int]]:
    """Table 三 as {row_key: {column_key: count}}, including 总计 column and （七）总计 row."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    table = {row: dict.fromkeys([*APPLICANT_KEYS, "total"], 0) for row in TABLE3_ROW_KEYS}

    def add(row: str, column: str) -> None:
        table[row][column] += 1
        table[row]["total"] += 1

    for episode in episodes:
        started_on = transfer_scope(episode, organisation_ids)
        if started_on is None:
            continue
        column = episode.applicant_kind if episode.applicant_kind in APPLICANT_KEYS else "other_org"
        if started_on > end:
            continue
        if episode.ended_on is not None and episode.ended_on < start:
            continue
        add("new" if started_on >= start else "carried_in", column)
        if episode.ended_on is not None and episode.ended_on <= end:
            outcome = episode.outcome if episode.outcome in RESULT_ROW_KEYS else "other"
            add(outcome, column)
            add("results_total", column)
        else:
            add("carried_forward", column)
    return table


def table4_compute(remedies: Iterable[RemedyFact], *, organisation_ids: set[int], year: int) -> dict[str, int]:
    """Table 四 as {"reconsideration.upheld": n, …} for the 15 official columns."""
    end = dt.date(year, 12, 31)
    values = {f"{g}.{r}": 0 for g, _ in REMEDY_GROUPS for r, _ in REMEDY_RESULTS}
    for remedy in remedies:
        if remedy.organisation_id not in organisation_ids or remedy.filed_on.year != year:
            continue
        decided = remedy.decided_on is not None and remedy.decided_on <= end and remedy.result
        result = remedy.result if decided and remedy.result in {"upheld", "corrected", "other"} else "pending"
        values[f"{remedy.kind}.{result}"] += 1
        values[f"{remedy.kind}.total"] += 1
    return values


def _in_force_on(fact: DocumentFact, day: dt.date) -> bool:
    if fact.published_on is None or fact.published_on > day:
        return False
    if fact.withdrawn_on is not None and fact.withdrawn_on <= day:
        return False
    if fact.in_force_from is not None and fact.in_force_from > day:
        return False
    return fact.left_force_on is None or fact.left_force_on > day


def table2_item1_compute(documents: Iterable[DocumentFact], *, year: int) -> dict[str, list[int]]:
    """第二十条第（一）项: per kind [本年制发, 本年废止, 现行有效 on 31 December]."""
    end = dt.date(year, 12, 31)
    result = {"rules": [0, 0, 0], "normative": [0, 0, 0]}
    for fact in documents:
        row = result[fact.kind]
        if fact.published_on is not None and fact.published_on.year == year:
            row[0] += 1
        if fact.left_force_on is not None and fact.left_force_on.year == year:
            row[1] += 1
        if _in_force_on(fact, end):
            row[2] += 1
    return result
