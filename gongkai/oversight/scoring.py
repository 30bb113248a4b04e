"""Applying an assessment scheme: points per indicator, the total, and the ranking of agencies.

Rate indicators: points = weight × min(1, rate ÷ target). Count indicators (扣分制): points =
max(0, weight − count × deduction). An indicator with nothing to assess in the period ("无应考核事项")
or whose module is absent is left out, and the total is scaled to 100 over the weights that remain, so
agencies with different duties stay comparable. A veto indicator (单项否决) with any item sets the total
to 0 (the national check's 互动回应差 is such a single-item fail, RULES §5).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from gongkai.core.models import Organisation

from .indicators import Value, indicator_value
from .models import Scheme, SchemeIndicator
from .periods import Period


@dataclass
class Line:
    rule: SchemeIndicator
    value: Value
    points: float | None  # None: not applicable or unavailable

    @property
    def weight(self) -> float:
        return float(self.rule.weight)

    @property
    def vetoed(self) -> bool:
        return bool(self.rule.veto and self.value.available and self.value.count)


@dataclass
class Score:
    organisation: Organisation
    lines: list[Line] = field(default_factory=list)

    @property
    def weights(self) -> float:
        return sum(line.weight for line in self.lines if line.points is not None)

    @property
    def vetoed(self) -> bool:
        return any(line.vetoed for line in self.lines)

    @property
    def total(self) -> float | None:
        if self.vetoed:
            return 0.0
        if not self.weights:
            return None
        return round(100 * sum(line.points for line in self.lines if line.points is not None) / self.weights, 2)


def line_points(rule: SchemeIndicator, value: Value) -> float | None:
    if not value.available:
        return None
    weight = float(rule.weight)
    if value.definition.kind == "count":
        return round(max(0.0, weight - value.count * float(rule.deduction or 0)), 2)
    if value.rate is None:
        return None
    target = float(rule.target or 1)
    return round(weight * min(1.0, value.rate / target), 2)


def scheme_rules(scheme: Scheme) -> list[SchemeIndicator]:
    return list(scheme.indicators.all().order_by("sort_order", "id"))


def organisation_score(*, scheme: Scheme, organisation: Organisation, period: Period,
                       rules: list[SchemeIndicator] | None = None) -> Score:
    """The organisation's own records (not its subordinates'), every indicator of the scheme."""
    score = Score(organisation)
    for rule in rules if rules is not None else scheme_rules(scheme):
        value = indicator_value(code=rule.code, organisation_ids=[organisation.pk], period=period)
        score.lines.append(Line(rule, value, line_points(rule, value)))
    return score


def ranking(*, scheme: Scheme, organisations: Iterable[Organisation], period: Period) -> list[Score]:
    """Scores, best first; organisations with nothing to assess come last."""
    rules = scheme_rules(scheme)
    scores = [organisation_score(scheme=scheme, organisation=o, period=period, rules=rules) for o in organisations]
    return sorted(scores, key=lambda s: (s.total is None, -(s.total or 0), s.organisation.path))


def score_data(score: Score) -> dict:
    """The stored form of a score: numbers and item keys (so a recomputation can be compared)."""
    return {
        "organisation": score.organisation.pk,
        "name": score.organisation.name,
        "total": score.total,
        "lines": {line.rule.code: {"available": line.value.available, "numerator": line.value.numerator,
                                   "denominator": line.value.denominator, "count": line.value.count,
                                   "points": line.points, "items": sorted(i.key for i in line.value.items),
                                   "failed": sorted(i.key for i in line.value.items if not i.ok)}
                  for line in score.lines},
    }
