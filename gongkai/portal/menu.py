"""The portal's main navigation: one list, one entry per public area (docs/architecture.md).

`nav` is the key a page sets in its context (`{"nav": "library"}`) to mark its entry as current.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    nav: str
    anchor: str = ""


NAV: list[NavItem] = [
    NavItem("首页", "portal:home", "home"),
    NavItem("政策文件库", "portal:library", "library"),
    NavItem("政府信息公开", "portal:organisations", "gongkai"),
    NavItem("意见征集", "portal:consultation_list", "yijian"),
    NavItem("政策问答", "portal:qa_ask", "wenda"),
    NavItem("依申请公开", "applications_portal:start", "yisq"),
    NavItem("数据开放", "portal:opendata_list", "opendata"),
    NavItem("政民互动", "portal:interaction_boxes", "hudong"),
    NavItem("办事服务", "portal:services", "banshi"),
    NavItem("政府公报", "portal:gazette", "gongbao"),
    NavItem("政策订阅", "portal:subscriptions_home", "dingyue"),
]
