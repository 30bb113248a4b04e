"""The 工作要点 as a draft tree of tasks, read from the published document's text (issue 24: "the year's
工作要点 as a tree of tasks (from the published document; a task can cite its paragraph)").

Official documents number their headings by the national format for 公文 (GB/T 9704-2012 §7.3.3: 结构层次
序数依次可以用“一、”“（一）”“1.”“（1）”标注). A paragraph opening with one of these numbers is a task; it
nests under the nearest earlier heading of a higher level. Text before the first “一、” (the covering
notice and the 总体要求) and paragraphs without a number are not tasks. Each draft task keeps its
paragraph (number and text) so the task can cite it; staff confirm the draft before tasks are created
(`services.plan_tasks_from_draft`). Seeds 000 (一、 → （一）) and 002 (一、 → continuous 1.–17.) are
parsed in tests/oversight/test_plan_text.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from gongkai.core.html import html_to_text

_CN = "一二三四五六七八九十百零〇"
# Level, pattern. Half-width parentheses and full-width dots occur in published text as often as the
# format's own characters.
_HEADINGS: list[tuple[int, re.Pattern]] = [
    (1, re.compile(rf"^([{_CN}]+)[、，,．.]\s*(.+)$")),
    (2, re.compile(rf"^[（(]([{_CN}]+)[）)]\s*(.+)$")),
    (3, re.compile(r"^(\d{1,3})[.．、](?!\d)\s*(.+)$")),
    (4, re.compile(r"^[（(](\d{1,3})[）)]\s*(.+)$")),
]
TITLE_MAX_CHARS = 120
PARAGRAPH_MAX_CHARS = 300  # PlanTask.paragraph


@dataclass
class DraftTask:
    key: str  # "3" or "3.2.1": positions in the tree, stable for the same text
    level: int
    number: str  # 一、 （二） 3.
    title: str
    paragraph_no: int  # the paragraph's position in the document text (1-based, non-empty lines)
    paragraph: str  # the citation kept on the task
    children: list[DraftTask] = field(default_factory=list)

    def walk(self, depth: int = 0):
        yield self, depth
        for child in self.children:
            yield from child.walk(depth + 1)


def _title(rest: str, level: int) -> str:
    """The heading: a section (一、) is its line; a task is its first sentence (up to 。 or ：)."""
    rest = rest.strip()
    if level > 1:
        m = re.match(r"^(.+?)[。：:；]", rest)
        if m and len(m.group(1)) <= TITLE_MAX_CHARS:
            rest = m.group(1)
    return rest[:TITLE_MAX_CHARS]


def _number(level: int, n: str) -> str:
    return {1: f"{n}、", 2: f"（{n}）", 3: f"{n}.", 4: f"（{n}）"}[level]


def _cite(no: int, text: str) -> str:
    head = f"第{no}段："
    room = PARAGRAPH_MAX_CHARS - len(head)
    return head + (text if len(text) <= room else text[: room - 1] + "…")


def _paragraphs(text: str) -> list[str]:
    lines = [" ".join(line.replace("\u3000", " ").split()) for line in html_to_text(text or "").splitlines()]
    return [line for line in lines if line]


def parse_plan_text(text: str) -> list[DraftTask]:
    """The draft task tree of a 工作要点 (sanitised HTML or plain text). Roots are the “一、” sections."""
    roots: list[DraftTask] = []
    stack: list[DraftTask] = []
    started = False
    for no, para in enumerate(_paragraphs(text), start=1):
        match = next(((level, m) for level, rx in _HEADINGS if (m := rx.match(para))), None)
        if match is None:
            continue
        level, m = match
        if level == 1:
            started = True
        if not started:
            continue  # the covering notice's own numbered lines come before the plan
        while stack and stack[-1].level >= level:
            stack.pop()
        siblings = stack[-1].children if stack else roots
        key = f"{stack[-1].key}.{len(siblings) + 1}" if stack else str(len(siblings) + 1)
        task = DraftTask(key, level, _number(level, m.group(1)), _title(m.group(2), level), no, _cite(no, para))
        siblings.append(task)
        stack.append(task)
    return roots


def draft_rows(roots: list[DraftTask]) -> list[tuple[DraftTask, int]]:
    """The tree depth-first with each task's depth (for the confirmation page)."""
    return [row for root in roots for row in root.walk()]
