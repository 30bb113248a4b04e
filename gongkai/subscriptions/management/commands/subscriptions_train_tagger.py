"""Train the push-tag classifier on the library and store it in DATA_DIR (thin: the work is in tagging.py)."""

from django.core.management.base import BaseCommand

from gongkai.subscriptions import services


class Command(BaseCommand):
    help = ("Train the classifier that suggests push tags (audiences, life stages, industries …) from the "
            "library's documents: confirmed tags where a publisher gave them, else the tags of their titles.")

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=None, help="use at most this many documents")

    def handle(self, *args, **options):
        report = services.tagger_train(limit=options["limit"], progress=self.stdout.write)
        self.stdout.write(self.style.SUCCESS(
            f"模型已保存：{report['path']}（训练 {report['train']} 份，调参 {report['dev']} 份；"
            f"调参集 P {report['p']:.3f} R {report['r']:.3f} F1 {report['f1']:.3f}；{report['tags']} 个标签有模型）"))
