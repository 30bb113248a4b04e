"""`gongkai encrypt-attachments`: encrypt case and letter attachments stored before encryption at rest."""

from django.core.management.base import BaseCommand, CommandError

from gongkai.applications.services import attachments_encrypt_at_rest


class Command(BaseCommand):
    help = ("把启用静态加密之前保存的申请附件和文书附件加密保存（与申请人信息同一密钥 FIELD_ENCRYPTION_KEY）。"
            "可重复运行：已加密的文件跳过；中断后再次运行即可继续。")

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=None, help="本次最多加密的文件数（分批运行）")
        parser.add_argument("--quiet", action="store_true", help="只输出汇总")

    def handle(self, *args, limit=None, quiet=False, **options):
        run = attachments_encrypt_at_rest(progress=None if quiet else self.stdout.write, limit=limit)
        self.stdout.write(
            f"加密 {run.encrypted} 个，已是加密 {run.already} 个，文件缺失 {run.missing} 个，"
            f"校验不符 {run.mismatched} 个，中断收尾 {run.recovered} 个。"
        )
        if run.failed:
            raise CommandError("以下附件的内容与登记的 SHA-256 不符，未转换：" + "、".join(run.failed))
