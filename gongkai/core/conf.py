"""Defaults of staff sign-in hardening (等保2.0 三级, GB/T 22239-2019 8.1.4.1 身份鉴别), each a setting.

GB/T 22239-2019 第三级 安全计算环境 · 身份鉴别:
  a) 应对登录的用户进行身份标识和鉴别，身份标识具有唯一性，身份鉴别信息具有复杂度要求并定期更换；
  b) 应具有登录失败处理功能，应配置并启用结束会话、限制非法登录次数和当登录连接超时自动退出等相关措施；
  d) 应采用口令、密码技术、生物技术等两种或两种以上组合的鉴别技术对用户进行身份鉴别 …
The standard names the controls, not the figures: the numbers below are the platform's defaults (common
practice in 等保 assessments: change at least every 90 days, no reuse of the last 5 passwords), to be set by
each deployment's security policy. Read at call time so a deployment (or a test) can change them.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings


def spray_account_limit() -> int:
    """b) 限制非法登录次数, across accounts: an address whose failed logins name this many different accounts
    within the window is refused for every account (password spraying). 0 turns the rule off."""
    return int(getattr(settings, "LOGIN_SPRAY_ACCOUNT_LIMIT", 10))


def spray_window() -> dt.timedelta:
    """How far back failures count for the address rule, and so how long the address stays refused after its
    last failure (default: the per-account cool-off, AXES_COOLOFF_TIME hours)."""
    hours = getattr(settings, "LOGIN_SPRAY_WINDOW_HOURS", None)
    return dt.timedelta(hours=float(hours if hours is not None else settings.AXES_COOLOFF_TIME))


def password_max_age() -> dt.timedelta | None:
    """a) 定期更换: a staff password older than this must be changed before any other back-office page.
    PASSWORD_MAX_AGE_DAYS = 0 turns the rule off."""
    days = int(getattr(settings, "PASSWORD_MAX_AGE_DAYS", 90))
    return dt.timedelta(days=days) if days > 0 else None


def password_history_count() -> int:
    """a) 定期更换 means a new password: it may not be one of the user's last N (PASSWORD_HISTORY_COUNT, 0 = off)."""
    return int(getattr(settings, "PASSWORD_HISTORY_COUNT", 5))
