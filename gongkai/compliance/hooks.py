"""What the content checks ask of the packages above them.

`frequently_requested(organisation, since)`: each receiver returns a list of
`{"title", "applications"}` — information requested often since `since` (the yearly self-review,
条例 第四十四条 依申请转主动). The applications package registers in its `AppConfig.ready`.
"""

from gongkai.core.hooks import Hook

frequently_requested = Hook(
    "frequently_requested",
    "organisation, since: return [{'title', 'applications'}] of information requested at least twice.",
)
