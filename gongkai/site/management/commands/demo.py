"""Set up the demo platform: organisations, a demo administrator, and the demo library."""

import json
import secrets

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from gongkai.catalog.demo import load_demo_catalog
from gongkai.consultations.demo import load_demo_consultations
from gongkai.core.models import Organisation, Role, SiteIdentity, User
from gongkai.core.secondfactor import demo_second_factor
from gongkai.core.services import membership_grant, organisation_create
from gongkai.documents.demo import NATIONAL_INDEX_NO_PATTERN, load_demo_documents
from gongkai.interaction.demo import load_demo_interaction, load_demo_interviews_and_surveys
from gongkai.opendata.demo import load_demo_datasets
from gongkai.oversight.demo import load_demo_oversight
from gongkai.qa.demo import load_demo_qa
from gongkai.subscriptions.demo import load_demo_subscriptions

DEMO_GOVERNMENT = {
    "name": "示例市人民政府",
    "short_name": "示例市政府",
    "code": "DEMO00001",
    "kind": Organisation.Kind.GOVERNMENT,
    "address": "示例市人民路 1 号",
    "postcode": "100000",
    "office_hours": "工作日 上午 9:00-12:00，下午 13:30-17:30",
    "phone": "010-12345678",
    "fax": "010-12345679",
    "email": "gongkai@example.gov.cn",
    "disclosure_office_name": "示例市人民政府办公室（政务公开办）",
    "disclosure_office_address": "示例市人民路 1 号 3 楼 301 室",
    "disclosure_office_hours": "工作日 上午 9:00-12:00，下午 13:30-17:30",
    "disclosure_office_phone": "010-12345670",
    "disclosure_office_fax": "010-12345671",
    "disclosure_office_email": "ysq@example.gov.cn",
    "reconsideration_body": "示例省人民政府",
    "court": "示例市中级人民法院",
    "annual_report_includes_descendants": True,
}
DEMO_DEPARTMENTS = [
    ("示例市发展和改革委员会", "市发展改革委", "DEMO00002"),
    ("示例市教育局", "市教育局", "DEMO00003"),
    ("示例市人力资源和社会保障局", "市人力社保局", "DEMO00004"),
    ("示例市自然资源和规划局", "市自然资源规划局", "DEMO00005"),
    ("示例市市场监督管理局", "市市场监管局", "DEMO00006"),
    ("示例市司法局", "市司法局", "DEMO00007"),
]
# Outside bodies whose documents come with the national laws corpus.
# It is no organisation with a 机构代码, so its 索引号 say so: 国家法律法规 (GJFLFG), the year, a number.
NATIONAL = {"name": "国家法律法规（外部来源）", "short_name": "国家法规", "code": "NATIONAL", "kind": Organisation.Kind.OTHER,
            "handles_applications": False, "index_no_pattern": NATIONAL_INDEX_NO_PATTERN}


def demo_organisations() -> Organisation:
    """Create (once) the demo government and its departments; return the government."""
    government = Organisation.objects.filter(code=DEMO_GOVERNMENT["code"]).first()
    if government is None:
        government = organisation_create(**DEMO_GOVERNMENT)
    for name, short, code in DEMO_DEPARTMENTS:
        if not Organisation.objects.filter(code=code).exists():
            organisation_create(
                name=name, short_name=short, code=code, parent=government, kind=Organisation.Kind.DEPARTMENT,
                reconsideration_body="示例市人民政府", court="示例市人民法院",
            )
    if not Organisation.objects.filter(code=NATIONAL["code"]).exists():
        organisation_create(**NATIONAL)
    return government


# The footer of the demo site (example values in the official shapes; a real platform enters its own).
DEMO_SITE_IDENTITY = {
    "sponsor": "示例市人民政府办公室", "organiser": "示例市大数据中心", "site_code": "9999000001",
    "icp_record": "示ICP备00000001号", "police_record": "示公网安备99990002000001号",
    "party_gov_mark_url": "https://bszs.conac.cn/", "error_report_email": "zhaocuo@example.gov.cn",
}


def demo_site_identity() -> None:
    """Seed (once) the website identification shown in the footer; the administrator edits it later."""
    SiteIdentity.objects.get_or_create(pk=1, defaults=DEMO_SITE_IDENTITY)


def demo_admin(government: Organisation) -> tuple[str, str]:
    """Create (once) the demo administrator; the password is kept in the data folder to print again."""
    password_file = settings.DATA_DIR / "demo_admin_password"
    username = "admin"
    user = User.objects.filter(username=username).first()
    if user is None or not password_file.exists():
        password = "Gk-" + secrets.token_urlsafe(12)
        if user is None:
            user = User.objects.create_user(username=username, password=password, display_name="演示管理员", is_staff=True,
                                            is_superuser=True)
        else:
            user.set_password(password)
            user.save()
        password_file.write_text(password)
        password_file.chmod(0o600)
    membership_grant(user=user, organisation=government, role=Role.PLATFORM_ADMIN)
    return username, password_file.read_text().strip()


# Staff of the demo government, one per role a case and a report need (shown on /workspace/roles/).
DEMO_STAFF = [
    ("handler", "演示办理人", [Role.HANDLER], "登记、办理和答复依申请公开案件"),
    ("approver", "演示审核人", [Role.REVIEWER, Role.SIGNER, Role.CONFIDENTIALITY_REVIEWER],
     "审核、签发和保密审查文件，审核年度报告"),
    ("legal", "演示法律顾问", [Role.LEGAL_REVIEWER], "法制审核不予公开等答复"),
    ("office", "演示政务公开办管理员", [Role.OFFICE_ADMIN], "分派案件、批准延期、发布年度报告"),
    ("editor", "演示信息员", [Role.EDITOR], "起草文件、解读和年度报告"),
]


def demo_staff(government: Organisation) -> list[tuple[str, str, str, str]]:
    """Create (once) one staff user per role; passwords are kept in the data folder to print again.
    Returns (username, password, roles, duties) for each."""
    password_file = settings.DATA_DIR / "demo_staff_passwords.json"
    passwords = json.loads(password_file.read_text()) if password_file.exists() else {}
    rows = []
    for username, display_name, roles, duties in DEMO_STAFF:
        user = User.objects.filter(username=username).first()
        if user is None or username not in passwords:
            passwords[username] = "Gk-" + secrets.token_urlsafe(12)
            if user is None:
                user = User.objects.create_user(username=username, password=passwords[username],
                                                display_name=display_name, is_staff=False)
            else:
                user.set_password(passwords[username])
                user.save()
        for role in roles:
            membership_grant(user=user, organisation=government, role=role)
        rows.append((username, passwords[username], "、".join(str(r.label) for r in roles), duties))
    password_file.write_text(json.dumps(passwords, ensure_ascii=False, indent=2))
    password_file.chmod(0o600)
    return rows


class Command(BaseCommand):
    help = "Create the demo organisations and administrator and load the demo library (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--no-documents", action="store_true", help="skip loading the demo library")
        parser.add_argument("--limit", type=int, default=None, help="load at most this many laws (for quick trials)")

    def _second_factor(self, username: str) -> None:
        """The second factor of a demo user who needs one (docs/security.md): the authenticator key to type
        into an app, and unused recovery codes (each works once; the next `gongkai demo` renews them)."""
        found = demo_second_factor(user=User.objects.get(username=username))
        if found:
            key, codes = found
            self.stdout.write(f"    二次验证 —— 身份验证器密钥：{key}  恢复码：{' '.join(codes[:3])}")

    def handle(self, *args, **options):
        with transaction.atomic():
            government = demo_organisations()
            username, password = demo_admin(government)
            staff = demo_staff(government)
            demo_site_identity()
        if not options["no_documents"]:
            load_demo_documents(stdout=self.stdout, limit=options["limit"])
        load_demo_catalog(government=government, stdout=self.stdout)
        load_demo_consultations(government=government, admin=User.objects.get(username=username), stdout=self.stdout)
        load_demo_datasets(government=government, stdout=self.stdout)
        load_demo_qa(stdout=self.stdout)
        load_demo_interaction(stdout=self.stdout)
        load_demo_interviews_and_surveys(admin=User.objects.get(username=username), stdout=self.stdout)
        load_demo_oversight(government=government, admin=User.objects.get(username=username), stdout=self.stdout)
        load_demo_subscriptions(government=government, stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS(f"演示管理员 —— 用户名：{username}  密码：{password}"))
        self._second_factor(username)
        self.stdout.write("演示工作人员（示例市人民政府；各角色做什么见 工作台 → 角色与分工）：")
        for staff_name, staff_password, roles, duties in staff:
            self.stdout.write(f"  {roles}（{duties}） —— 用户名：{staff_name}  密码：{staff_password}")
            self._second_factor(staff_name)
        self.stdout.write(f"工作台：{settings.SITE_URL}/workspace/   管理后台：{settings.SITE_URL}/admin/")
