"""The default e-mail backend when none is configured: each message one `.eml` file in DATA_DIR/mail
(RFC 5322, opens in any mail client), readable by the platform's own user only (folder 0700, files 0600).
The console backend printed applicants' e-mails (addresses, tracking links, recovery links) to the server
log (issue 15.10); Django's file backend wrote a whole batch into one `.log` separated by dashes."""

from __future__ import annotations

import datetime as dt
import itertools
import os
import threading

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend

_sequence = itertools.count(1)
_lock = threading.Lock()


class FileEmailBackend(BaseEmailBackend):
    def __init__(self, *args, file_path=None, **kwargs):
        super().__init__(*args, **kwargs)
        path = file_path or getattr(settings, "EMAIL_FILE_PATH", None) or os.path.join(settings.DATA_DIR, "mail")
        self.file_path = os.path.abspath(path)
        old = os.umask(0o077)
        try:
            os.makedirs(self.file_path, exist_ok=True)
        finally:
            os.umask(old)
        os.chmod(self.file_path, 0o700)

    def send_messages(self, email_messages) -> int:
        sent = 0
        for message in email_messages:
            if not message.recipients():
                continue
            try:
                self._write(message.message().as_bytes())
            except OSError:
                if not self.fail_silently:
                    raise
                continue
            sent += 1
        return sent

    def _write(self, data: bytes) -> None:
        # Names sort by time of sending; the process id and a counter keep two processes (web, task queue)
        # from ever writing the same file (O_EXCL refuses an existing one).
        with _lock:
            number = next(_sequence)
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
        name = os.path.join(self.file_path, f"{stamp}-{os.getpid()}-{number:06d}.eml")
        fd = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as stream:
            stream.write(data)
