"""The canonical import format (docs/import-format.md): one JSON object per document.

`parse_canonical` turns one decoded line into a `DocumentSpec` — every value checked and normalised the
way the services would (titles stripped, bodies sanitised, 发文字号 repaired or refused) — or raises
`RecordError` with the reason in words the person running the import understands.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from gongkai.core.html import sanitize_html
from gongkai.core.models import Organisation

from ..doc_numbers import doc_number_normalise, doc_number_problems
from ..models import LIFE_STAGES, Audience, DisclosureAttribute, Document, Genre, LifecycleEvent, Topic
from .text import markdown_to_html, parse_date, plain_to_html

Kind = LifecycleEvent.Kind

# Canonical field → Document field, for the plain string fields (checked against max_length).
STRING_FIELDS = [
    "title", "doc_number", "index_no", "subject_words", "summary", "consultation_department",
    "consultation_phone", "registration_no", "source", "category", "disclosure_reason",
]
KNOWN_KEYS = {
    *STRING_FIELDS, "external_id", "organisation", "issuers", "written_on", "published_at", "effective_on",
    "repealed_on", "expires_on", "topic", "genre", "audiences", "life_stages", "body", "body_text",
    "body_markdown", "disclosure_attribute", "status", "events", "withdrawn_at", "withdrawn_reason",
}
# Events a source may state about a document; the link goes to another document by its external_id.
LINKED_EVENTS = {"amended_by": Kind.AMENDED_BY, "repealed_by": Kind.REPEALED_BY}
DATED_EVENTS = {"repealed": Kind.REPEALED, "expired": Kind.EXPIRED, "withdrawn": Kind.WITHDRAWN}
STATUSES = {"draft", "published", "withdrawn"}
ALL_LIFE_STAGES = {stage for stages in LIFE_STAGES.values() for stage in stages}


class RecordError(Exception):
    """A line that cannot be imported; the message says why (in Chinese, for the operator)."""


@dataclass
class EventSpec:
    kind: str
    at: dt.datetime
    effective_on: dt.date | None = None
    related: str | None = None  # external_id of the linked document
    reason: str = ""

    def key(self) -> tuple:
        """What makes two events the same for idempotency (publication happens once, whenever it was)."""
        if self.kind in (Kind.PUBLISHED, Kind.DRAFTED):
            return (self.kind,)
        return (self.kind, self.related, self.effective_on or timezone.localtime(self.at).date())


@dataclass
class DocumentSpec:
    """A document ready to be written: model field values, issuers and lifecycle events."""

    line_no: int
    external_id: str
    organisation: Organisation
    fields: dict[str, Any]
    issuers: list[tuple[int | None, str]] = field(default_factory=list)
    events: list[EventSpec] = field(default_factory=list)
    size: int = 0
    digest: str = ""

    @property
    def references(self) -> set[str]:
        return {e.related for e in self.events if e.related}

    def index_date(self) -> dt.date | None:
        """The date whose year the 索引号 carries: a date the document has (publication, else 成文日期,
        生效日期, 废止/失效日期), never the day of the import; None for a document without any date."""
        if self.fields.get("published_at"):
            return timezone.localdate(self.fields["published_at"])
        for name in ("written_on", "effective_on", "expires_on"):
            if self.fields.get(name):
                return self.fields[name]
        return None


class Lookups:
    """Organisations and topics by code, name or label, loaded once per import run."""

    def __init__(self, *, default_organisation: Organisation | None = None) -> None:
        self.default_organisation = default_organisation
        orgs = list(Organisation.objects.all())
        self.org_by_code = {o.code: o for o in orgs}
        self.org_by_name = {o.name: o for o in orgs}
        topics = list(Topic.objects.select_related("parent"))
        self.topic_by_key: dict[str, Topic] = {}
        for topic in topics:
            self.topic_by_key[topic.code] = topic
            self.topic_by_key[topic.label] = topic
            if not topic.parent_id:
                self.topic_by_key.setdefault(topic.name, topic)
        self.genres = _choices_lookup(Genre, extra={"令": Genre.ORDER, "命令": Genre.ORDER, "法律": Genre.LAW,
                                                    "法规": Genre.LAW, "规范性文件": Genre.NORMATIVE})
        self.audiences = _choices_lookup(Audience)
        self.disclosure = _choices_lookup(DisclosureAttribute)


def _choices_lookup(choices, extra: dict | None = None) -> dict[str, str]:
    table = {value: value for value in choices.values}
    table.update({str(label): value for value, label in choices.choices})
    table.update(extra or {})
    return table


def _max_length(name: str) -> int | None:
    return Document._meta.get_field(name).max_length


def _string(data: dict, name: str) -> str:
    value = data.get(name)
    if value is None:
        return ""
    if not isinstance(value, str | int):
        raise RecordError(f"字段 {name} 必须是字符串。")
    value = str(value).strip()
    limit = _max_length(name)
    if limit and len(value) > limit:
        raise RecordError(f"字段 {name} 超过 {limit} 字的长度限制（{len(value)} 字）。")
    return value


def _date(data: dict, name: str) -> dt.date | None:
    value = data.get(name)
    if value in (None, ""):
        return None
    try:
        return parse_date(str(value))
    except ValueError:
        raise RecordError(f"字段 {name} 的日期“{value}”无效，应写作 2023-07-21 或 2023年7月21日。") from None


def parse_moment(value: Any, name: str) -> dt.datetime | None:
    """A date or an ISO date-time; naive values are local time (Asia/Shanghai)."""
    if value in (None, ""):
        return None
    text = str(value).strip()
    try:
        day = parse_date(text)
        moment = dt.datetime.combine(day, dt.time())
    except ValueError:
        try:
            moment = dt.datetime.fromisoformat(text)
        except ValueError:
            raise RecordError(f"字段 {name} 的时间“{value}”无效，应写作 2023-07-21 或 2023-07-21T09:30:00+08:00。") from None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def _string_list(data: dict, name: str) -> list[str]:
    value = data.get(name)
    if value in (None, ""):
        return []
    if isinstance(value, str):
        value = [part for part in value.replace("，", ",").replace("、", ",").split(",")]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise RecordError(f"字段 {name} 必须是字符串列表。")
    return [v.strip() for v in value if v.strip()]


def parse_canonical(data: dict[str, Any], *, line_no: int, lookups: Lookups, size: int = 0) -> DocumentSpec:
    """Check and normalise one canonical record; raise RecordError when it cannot be imported."""
    unknown = set(data) - KNOWN_KEYS
    if unknown:
        raise RecordError(f"未知字段：{'、'.join(sorted(unknown))}。")
    external_id = _string_external_id(data)
    fields: dict[str, Any] = {name: _string(data, name) for name in STRING_FIELDS}
    if not fields["title"]:
        raise RecordError("缺少标题（title）。")
    if fields["doc_number"] and doc_number_problems(fields["doc_number"]):
        repaired = doc_number_normalise(fields["doc_number"])
        if repaired is None:
            problems = "".join(doc_number_problems(fields["doc_number"]))
            raise RecordError(f"发文字号“{fields['doc_number']}”无法规范化：{problems}")
        fields["doc_number"] = repaired

    organisation = _organisation(data, lookups)
    for name in ("written_on", "effective_on", "expires_on"):
        fields[name] = _date(data, name)
    repealed_on = _date(data, "repealed_on")
    fields["published_at"] = parse_moment(data.get("published_at"), "published_at")
    if fields["effective_on"] and fields["expires_on"] and fields["expires_on"] < fields["effective_on"]:
        raise RecordError("有效期（expires_on）不能早于生效日期（effective_on）。")

    fields["topic"] = _topic(data, lookups)
    fields["genre"] = _choice(data, "genre", lookups.genres, default=Genre.NOTICE, label="文种")
    fields["audiences"] = [_lookup(lookups.audiences, v, "服务对象") for v in _string_list(data, "audiences")]
    stages = _string_list(data, "life_stages")
    if bad := [s for s in stages if s not in ALL_LIFE_STAGES]:
        raise RecordError(f"未知的生命周期分类：{'、'.join(bad)}。")
    fields["life_stages"] = stages
    fields["disclosure_attribute"] = _choice(data, "disclosure_attribute", lookups.disclosure,
                                             default=DisclosureAttribute.PROACTIVE, label="公开属性")
    if fields["disclosure_attribute"] != DisclosureAttribute.PROACTIVE and not fields["disclosure_reason"]:
        raise RecordError("依申请公开或不予公开的文件必须说明理由（disclosure_reason）。")
    fields["body"] = _body(data)

    spec = DocumentSpec(line_no=line_no, external_id=external_id, organisation=organisation, fields=fields, size=size)
    spec.issuers = _issuers(data, lookups, organisation)
    spec.events = _events(data, fields, repealed_on)
    return spec


def _string_external_id(data: dict) -> str:
    value = data.get("external_id")
    if not isinstance(value, str | int) or not str(value).strip():
        raise RecordError("缺少外部编号（external_id），无法保证重复导入不重复建档。")
    value = str(value).strip()
    if len(value) > _max_length("external_id"):
        raise RecordError(f"外部编号超过 {_max_length('external_id')} 字。")
    return value


def _organisation(data: dict, lookups: Lookups) -> Organisation:
    code = data.get("organisation")
    if code in (None, ""):
        if lookups.default_organisation is None:
            raise RecordError("缺少所属机关（organisation），命令行也未用 --organisation 指定。")
        return lookups.default_organisation
    organisation = lookups.org_by_code.get(str(code).strip())
    if organisation is None:
        raise RecordError(f"未知机关代码“{code}”。")
    return organisation


def _lookup(table: dict[str, str], value: str, label: str) -> str:
    if value not in table:
        raise RecordError(f"未知的{label}“{value}”。")
    return table[value]


def _choice(data: dict, name: str, table: dict[str, str], *, default: str, label: str) -> str:
    value = data.get(name)
    if value in (None, ""):
        return default
    return _lookup(table, str(value).strip(), label)


def _topic(data: dict, lookups: Lookups) -> Topic | None:
    value = data.get("topic")
    if value in (None, ""):
        return None
    key = str(value).strip().replace("/", "\\")
    topic = lookups.topic_by_key.get(key)
    if topic is None:
        raise RecordError(f"未知的主题分类“{value}”，应为代码（如 04.02）或“一级\\二级”名称。")
    return topic


def _body(data: dict) -> str:
    given = [name for name in ("body", "body_text", "body_markdown") if data.get(name)]
    if len(given) > 1:
        raise RecordError("body、body_text、body_markdown 只能给出其中一个。")
    if not given:
        return ""
    value = data[given[0]]
    if not isinstance(value, str):
        raise RecordError(f"字段 {given[0]} 必须是字符串。")
    match given[0]:
        case "body":
            return sanitize_html(value)
        case "body_text":
            return plain_to_html(value)
        case _:
            return markdown_to_html(value)


def _issuers(data: dict, lookups: Lookups, organisation: Organisation) -> list[tuple[int | None, str]]:
    value = data.get("issuers")
    if value in (None, "", []):
        return [(organisation.pk, "")]
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        raise RecordError("issuers 必须是机关代码或名称的列表。")
    issuers: list[tuple[int | None, str]] = []
    for item in value:
        if isinstance(item, dict):
            item = item.get("code") or item.get("name") or ""
        name = str(item).strip()
        if not name:
            continue
        org = lookups.org_by_code.get(name) or lookups.org_by_name.get(name)
        if org is None and len(name) > 200:
            raise RecordError("发文机关名称超过 200 字。")
        entry = (org.pk, "") if org else (None, name)
        if entry not in issuers:
            issuers.append(entry)
    return issuers or [(organisation.pk, "")]


def _events(data: dict, fields: dict, repealed_on: dt.date | None) -> list[EventSpec]:
    status = str(data.get("status") or ("published" if fields["published_at"] else "draft")).strip()
    if status not in STATUSES:
        raise RecordError(f"未知的状态“{status}”，可用：draft、published、withdrawn。")
    events: list[EventSpec] = []
    if status == "draft":
        if fields["published_at"]:
            raise RecordError("草稿（status=draft）不能有发布日期（published_at）。")
        events.append(EventSpec(Kind.DRAFTED, timezone.now(), reason="导入"))
    else:
        if fields["disclosure_attribute"] != DisclosureAttribute.PROACTIVE:
            raise RecordError("依申请公开或不予公开的文件不在网站发布，status 应为 draft。")
        if fields["published_at"] and fields["published_at"] > timezone.now():
            raise RecordError("发布日期晚于当前时间；定时发布请在系统中审核后设置。")
        if fields["published_at"]:
            events.append(EventSpec(Kind.PUBLISHED, fields["published_at"], reason="导入（原发布日期）"))
        else:
            # Published long ago on a date the source does not give: the event carries the import time,
            # published_at stays empty rather than inventing a date.
            events.append(EventSpec(Kind.PUBLISHED, timezone.now(), reason="导入：原发布日期不详"))
    if status == "withdrawn":
        reason = str(data.get("withdrawn_reason") or "").strip()
        if not reason:
            raise RecordError("已撤回的文件必须说明撤回理由（withdrawn_reason）。")
        published = events[0].at
        at = max(parse_moment(data.get("withdrawn_at"), "withdrawn_at") or published, published)
        events.append(EventSpec(Kind.WITHDRAWN, at, reason=reason))

    raw_events = data.get("events") or []
    if not isinstance(raw_events, list):
        raise RecordError("events 必须是列表。")
    for n, raw in enumerate(raw_events, start=1):
        if not isinstance(raw, dict):
            raise RecordError(f"events 第 {n} 项必须是对象。")
        kind_name = str(raw.get("kind") or "").strip()
        on = _date(raw, "on")
        reason = str(raw.get("reason") or "").strip()
        if kind_name in LINKED_EVENTS:
            related = str(raw.get("by") or "").strip()
            if not related:
                raise RecordError(f"events 第 {n} 项（{kind_name}）缺少 by（关联文件的 external_id）。")
            if kind_name == "repealed_by" and on is None:
                raise RecordError(f"events 第 {n} 项（repealed_by）缺少废止日期 on。")
            if related == str(data.get("external_id")).strip():
                raise RecordError(f"events 第 {n} 项：文件不能关联它自己。")
            events.append(EventSpec(LINKED_EVENTS[kind_name], _event_moment(on, fields), on, related, reason))
        elif kind_name in DATED_EVENTS:
            if on is None:
                raise RecordError(f"events 第 {n} 项（{kind_name}）缺少日期 on。")
            if kind_name == "withdrawn" and not reason:
                raise RecordError(f"events 第 {n} 项：撤回必须说明理由。")
            events.append(EventSpec(DATED_EVENTS[kind_name], _event_moment(on, fields), on, None, reason))
        else:
            raise RecordError(f"events 第 {n} 项的类型“{kind_name}”未知，可用：amended_by、repealed_by、repealed、expired、withdrawn。")
    if repealed_on and not any(e.kind in (Kind.REPEALED, Kind.REPEALED_BY) for e in events):
        # 废止日期 is derived from events; a bare repealed_on becomes the repeal event it stands for.
        events.append(EventSpec(Kind.REPEALED, _event_moment(repealed_on, fields), repealed_on, None, "导入：原数据载明废止日期"))
    if status == "draft" and len(events) > 1:
        raise RecordError("草稿不能有修改、废止、失效或撤回事件。")
    return events


def _event_moment(on: dt.date | None, fields: dict) -> dt.datetime:
    if on is not None:
        return timezone.make_aware(dt.datetime.combine(on, dt.time()))
    return fields["published_at"] or timezone.now()
