"""`gongkai api-key create|list|revoke`: issue API keys to integrators' systems.

    gongkai api-key create USERNAME --name "省平台文件汇聚" [--days 365]
    gongkai api-key list [USERNAME]
    gongkai api-key revoke PREFIX
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from gongkai.api.models import ApiKey
from gongkai.api.services import api_key_create, api_key_revoke
from gongkai.core.models import User


class Command(BaseCommand):
    help = "签发、列出、吊销 API 密钥（供其他系统读取 /api/v1/，以密钥所属工作人员的权限）。"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="签发密钥；密钥只显示这一次")
        create.add_argument("username")
        create.add_argument("--name", required=True, help="用途，如 省平台文件汇聚")
        create.add_argument("--days", type=int, default=None, help="有效天数；不填则长期有效")
        listing = sub.add_parser("list", help="列出密钥（只显示前缀）")
        listing.add_argument("username", nargs="?")
        revoke = sub.add_parser("revoke", help="吊销密钥")
        revoke.add_argument("prefix", help="密钥前缀（gk_ 之后、第二个 _ 之前的 12 位）")

    def handle(self, *args, action, **options):
        getattr(self, f"_{action}")(**options)

    def _create(self, *, username, name, days, **_):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"用户“{username}”不存在。")
        expires_at = timezone.now() + dt.timedelta(days=days) if days else None
        try:
            api_key, key = api_key_create(user=user, name=name, by=None, expires_at=expires_at)
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from exc
        self.stdout.write(f"已为 {user} 签发密钥（{api_key.name}）。请妥善保存，此后不再显示：")
        self.stdout.write(key)

    def _list(self, *, username=None, **_):
        keys = ApiKey.objects.select_related("user").order_by("user__username", "-created_at")
        if username:
            keys = keys.filter(user__username=username)
        for api_key in keys:
            state = "已吊销" if api_key.revoked_at else ("已过期" if api_key.expires_at and api_key.expires_at <= timezone.now() else "有效")
            used = f"{timezone.localtime(api_key.last_used_at):%Y-%m-%d %H:%M}" if api_key.last_used_at else "从未使用"
            self.stdout.write(f"{api_key.prefix}\t{api_key.user.username}\t{api_key.name}\t{state}\t{used}")

    def _revoke(self, *, prefix, **_):
        api_key = ApiKey.objects.filter(prefix=prefix.removeprefix("gk_")).first()
        if api_key is None:
            raise CommandError(f"没有前缀为“{prefix}”的密钥。")
        api_key_revoke(api_key=api_key, by=None)
        self.stdout.write(f"已吊销 {api_key}。")
