"""角色与分工: which role does what, who holds which role in the organisations the user can see."""

from __future__ import annotations

from django.shortcuts import render

from gongkai.core.models import Membership, Role
from gongkai.core.selectors import organisations_for_user

from ..access import staff_required

# What each role does on the platform, with the rule it carries out.
ROLE_DUTIES: list[tuple[str, str, str]] = [
    (Role.HANDLER, "登记、受理和办理依申请公开案件：补正告知、征求意见、延期申请、答复并制作文书；只能处理本机关的案件。",
     "《条例》第三十条至第三十三条"),
    (Role.OFFICE_ADMIN, "政务公开办：分派案件、批准延期答复、管理本机关及下级机关的人员；发布年度报告；查看审计日志。",
     "《条例》第四条、第三十三条第二款、第四十九条"),
    (Role.LEGAL_REVIEWER, "对拟不予公开、部分公开等答复进行法律审核（法制审核），意见记入案卷。",
     "《条例》第三十六条；本机关法制审核制度"),
    (Role.REVIEWER, "审核文件、解读和年度报告：不能审核自己起草或提交的内容；年度报告须经其审核通过才能发布。",
     "先审查、后公开（《条例》第十七条）"),
    (Role.SIGNER, "签发文件，确定公开属性（主动公开、依申请公开、不予公开）。", "《条例》第十七条、第二十条"),
    (Role.CONFIDENTIALITY_REVIEWER, "发布前的保密审查：对将要公开的文本逐件审查。", "《条例》第十七条；《保守国家秘密法》"),
    (Role.EDITOR, "起草文件、政策解读和年度报告正文，提出公开属性，提交审核。", "《条例》第十九条至第二十条"),
    (Role.PLATFORM_ADMIN, "平台管理员：管理机关、账户和全平台设置，拥有所有角色的权限（仅供运维，不宜办案）。", "—"),
]


@staff_required
def role_guide(request):
    organisations = organisations_for_user(user=request.user)
    holders: dict[str, list[Membership]] = {}
    for membership in (Membership.objects.filter(organisation__in=organisations).select_related("user", "organisation")
                       .order_by("organisation__path", "user__username")):
        holders.setdefault(membership.role, []).append(membership)
    mine = {m.role for m in request.user.memberships.all()}
    rows = [{"role": role, "label": role.label, "duties": duties, "basis": basis, "holders": holders.get(role, []),
             "mine": role in mine} for role, duties, basis in ROLE_DUTIES]
    return render(request, "workspace/roles.html", {"rows": rows})
