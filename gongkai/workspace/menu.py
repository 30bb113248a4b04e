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
GROUPS = ["文件与解读", "依申请公开", "公众参与", "检查与报告", "考核督查", "账户"]

MENU: list[MenuItem] = [
    MenuItem("文件库", "workspace:document_list", "/workspace/documents/", "文件与解读"),
    MenuItem("政策解读", "workspace:interpretation_list", "/workspace/interpretations/", "文件与解读"),
    MenuItem("目录与指南", "workspace:catalog_overview", "/workspace/catalog/", "文件与解读"),
    MenuItem("重点领域专栏", "workspace:catalog_columns", "/workspace/catalog/columns/", "文件与解读"),
    MenuItem("办事指南", "workspace:catalog_services", "/workspace/catalog/services/", "文件与解读"),
    MenuItem("一件事", "workspace:catalog_packages", "/workspace/catalog/packages/", "文件与解读"),
    MenuItem("政府公报", "workspace:catalog_gazette", "/workspace/catalog/gazette/", "文件与解读"),
    MenuItem("申请办理", "applications_workspace:mine", "/workspace/applications/", "依申请公开"),
    MenuItem("征求意见", "workspace:consultation_list", "/workspace/consultations/", "公众参与"),
    MenuItem("重大行政决策目录", "workspace:decision_list", "/workspace/consultations/decisions/", "公众参与"),
    MenuItem("相似申请", "workspace:letters_clusters", "/workspace/applications/clusters/", "依申请公开"),
    MenuItem("统计", "workspace:letters_statistics", "/workspace/applications/statistics/", "依申请公开"),
    MenuItem("年度报告", "workspace_reports:list", "/workspace/reports/", "检查与报告"),
    MenuItem("内容检查", "workspace:compliance_overview", "/workspace/compliance/", "检查与报告"),
    MenuItem("仔细校对", "workspace:compliance_proofread", "/workspace/compliance/proofread/", "检查与报告"),
    MenuItem("数据开放", "workspace:opendata_list", "/workspace/opendata/", "公众参与"),
    MenuItem("政策问答库", "workspace:qa_list", "/workspace/qa/", "公众参与"),
    MenuItem("留言办理", "workspace:interaction_inbox", "/workspace/interaction/", "公众参与"),
    MenuItem("网站找错", "workspace:interaction_reports", "/workspace/interaction/zhaocuo/", "公众参与"),
    MenuItem("在线访谈", "workspace:interaction_interviews", "/workspace/interaction/fangtan/", "公众参与"),
    MenuItem("网上调查", "workspace:interaction_surveys", "/workspace/interaction/diaocha/", "公众参与"),
    MenuItem("政策订阅", "workspace:subscriptions_statistics", "/workspace/subscriptions/", "公众参与"),
    MenuItem("审计日志", "workspace:audit_list", "/workspace/audit/", "检查与报告", _auditor),
    MenuItem("考核评估", "workspace:oversight_dashboard", "/workspace/oversight/", "考核督查"),
    MenuItem("考核方案", "workspace:oversight_scheme", "/workspace/oversight/scheme/", "考核督查", _auditor),
    MenuItem("工作要点", "workspace:oversight_plans", "/workspace/oversight/plans/", "考核督查"),
    MenuItem("问题整改", "workspace:oversight_rectifications", "/workspace/oversight/rectification/", "考核督查"),
    MenuItem("舆情回应", "workspace:oversight_incidents", "/workspace/oversight/incidents/", "考核督查"),
    MenuItem("新闻发布会", "workspace:oversight_conferences", "/workspace/oversight/conferences/", "考核督查"),
    MenuItem("访问统计", "workspace:oversight_usage", "/workspace/oversight/usage/", "考核督查", _auditor),
    MenuItem("角色与分工", "workspace:role_guide", "/workspace/roles/", "账户"),
    MenuItem("修改密码", "workspace:password_change", "/workspace/password/", "账户"),
]
