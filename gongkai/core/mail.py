"""The default e-mail backend when none is configured: each message a file in DATA_DIR/mail, readable by
the platform's own user only (folder 0700, files 0600). The console backend printed applicants' e-mails
(addresses, tracking links, recovery links) to the server log (issue 15.10)."""

from __future__ import annotations

import os

from django.conf import settings
from django.core.mail.backends.filebased import EmailBackend


class FileEmailBackend(EmailBackend):
    def __init__(self, *args, file_path=None, **kwargs):
        file_path = file_path or getattr(settings, "EMAIL_FILE_PATH", None) or os.path.join(settings.DATA_DIR, "mail")
        old = os.umask(0o077)
        try:
            super().__init__(*args, file_path=file_path, **kwargs)
        finally:
            os.umask(old)
        os.chmod(self.file_path, 0o700)

    def open(self):
        if self.stream is None:
            fd = os.open(self._get_filename(), os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
            self.stream = os.fdopen(fd, "ab")
            return True
        return False
