"""Serve the platform with a production server (gunicorn) and run the task consumer beside it."""

import os
import subprocess
import sys

from django.core.management.base import BaseCommand
from django.core.wsgi import get_wsgi_application
from gunicorn.app.base import BaseApplication


def default_workers() -> str:
    return str(2 * (os.cpu_count() or 1))


class Command(BaseCommand):
    help = "Serve the platform on HOST:PORT with gunicorn, with the background-task consumer running beside it."

    def add_arguments(self, parser):
        parser.add_argument("--bind", default=os.environ.get("BIND", "127.0.0.1:8000"))
        # Processes rather than threads: a cached page is pure Python work, so threads of one process only
        # queue for its interpreter lock; two threads each let one wait on the database or a slow client
        # while the other runs. Measurements in README "The public portal".
        parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_WORKERS", default_workers())))
        parser.add_argument("--threads", type=int, default=int(os.environ.get("WEB_THREADS", "2")))
        parser.add_argument("--no-tasks", action="store_true", help="do not start the task consumer")

    def handle(self, *args, **options):
        consumer = None
        if not options["no_tasks"]:
            consumer = subprocess.Popen([sys.executable, "-m", "gongkai", "run_huey", "--quiet"])
            self.stdout.write(f"后台任务进程已启动（pid {consumer.pid}）")

        class Server(BaseApplication):
            def load_config(self):
                self.cfg.set("bind", options["bind"])
                self.cfg.set("workers", options["workers"])
                self.cfg.set("threads", options["threads"])
                self.cfg.set("worker_class", "gthread")
                self.cfg.set("accesslog", "-")
                self.cfg.set("timeout", 60)

            def load(self):
                # The same application as config/wsgi.py; settings are already configured in this process.
                return get_wsgi_application()

        self.stdout.write(f"平台已启动：http://{options['bind']}/  （Ctrl+C 停止）")
        try:
            Server().run()
        finally:
            if consumer is not None:
                consumer.terminate()
                consumer.wait(timeout=10)
