"""The workspace menu: one list, one entry per area. A new area adds its entry here (docs/architecture.md).

An entry is active when the request path starts with its `prefix`; `visible(identity)` hides it from
users who cannot use it (identity: the dict of the `staff_identity` template tag).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class MenuItem:
    label: str
    url_name: str
    prefix: str
    group: str
    visible: Callable[[dict], bool] | None = None


def _auditor(identity: dict) -> bool:
    return bool(identity.get("audit"))


# Groups in the order shown; entries within a group in the order listed.
GROUPS = ["文件与解读", "依申请公开", "公众参与", "检查与报告", "账户"]

MENU: list[MenuItem] = [
    MenuItem("文件库", "workspace:document_list", "/workspace/documents/", "文件与解读"),
    MenuItem("政策解读", "workspace:interpretation_list", "/workspace/interpretations/", "文件与解读"),
    MenuItem("目录与指南", "workspace:catalog_overview", "/workspace/catalog/", "文件与解读"),
    MenuItem("申请办理", "applications_workspace:mine", "/workspace/applications/", "依申请公开"),
    MenuItem("征求意见", "workspace:consultation_list", "/workspace/consultations/", "公众参与"),
    MenuItem("重大行政决策目录", "workspace:decision_list", "/workspace/consultations/decisions/", "公众参与"),
    MenuItem("相似申请", "workspace:letters_clusters", "/workspace/applications/clusters/", "依申请公开"),
    MenuItem("统计", "workspace:letters_statistics", "/workspace/applications/statistics/", "依申请公开"),
    MenuItem("年度报告", "workspace_reports:list", "/workspace/reports/", "检查与报告"),
    MenuItem("内容检查", "workspace:compliance_overview", "/workspace/compliance/", "检查与报告"),
    MenuItem("数据开放", "workspace:opendata_list", "/workspace/opendata/", "公众参与"),
    MenuItem("政策订阅", "workspace:subscriptions_statistics", "/workspace/subscriptions/", "公众参与"),
    MenuItem("审计日志", "workspace:audit_list", "/workspace/audit/", "检查与报告", _auditor),
    MenuItem("角色与分工", "workspace:role_guide", "/workspace/roles/", "账户"),
    MenuItem("修改密码", "workspace:password_change", "/workspace/password/", "账户"),
]
