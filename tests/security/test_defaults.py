"""Issue 15.10: safe defaults — applicants' e-mails go to private files, not to the log; the data folder and
the SQLite database are the platform user's only; a weak FIELD_ENCRYPTION_KEY is refused and `check
--deploy` says where the default key lives."""

import email
import os
import stat
import subprocess
import sys
from pathlib import Path

from django.core import mail
from django.test import override_settings

import config.settings as deployed
from gongkai.core.checks import field_encryption_key_check, gongkai_deploy_checks
from gongkai.core.mail import FileEmailBackend

ROOT = Path(__file__).resolve().parent.parent.parent


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_unconfigured_mail_goes_to_private_files_and_not_to_the_log(tmp_path, capsys):
    assert deployed.EMAIL_BACKEND == "gongkai.core.mail.FileEmailBackend" or "EMAIL_BACKEND" in os.environ
    folder = tmp_path / "mail"
    backend = FileEmailBackend(file_path=str(folder))
    message = mail.EmailMessage("您的申请已受理", "查询码 ABCD", "gongkai@localhost", ["zhang.san@example.com"])
    second = mail.EmailMessage("补正告知", "请补充身份证明", "gongkai@localhost", ["li.si@example.com"])
    assert backend.send_messages([message, second]) == 2
    files = sorted(folder.iterdir())
    assert len(files) == 2 and mode(folder) == 0o700 and all(mode(f) == 0o600 for f in files)
    # one standard message per file, in the order sent
    parsed = [email.message_from_bytes(f.read_bytes()) for f in files]
    assert [m["To"] for m in parsed] == ["zhang.san@example.com", "li.si@example.com"]
    assert all(f.suffix == ".eml" for f in files)
    out = capsys.readouterr()
    assert "zhang.san@example.com" not in out.out + out.err


def test_a_new_data_folder_and_database_are_private(tmp_path):
    data = tmp_path / "fresh"
    env = {**os.environ, "GONGKAI_DATA_DIR": str(data), "DJANGO_SETTINGS_MODULE": "config.settings",
           "PYTHONPATH": str(ROOT)}
    env.pop("DATABASE_URL", None)
    subprocess.run([sys.executable, "-c", "import django; django.setup(); from django.db import connection; "
                    "c = connection.cursor(); c.execute('CREATE TABLE t (x)'); c.execute('INSERT INTO t VALUES (1)')"],
                   env=env, cwd=ROOT, check=True, capture_output=True)
    assert mode(data) == 0o700
    database = data / "gongkai.sqlite3"
    assert mode(database) == 0o600
    for sidecar in (data / "gongkai.sqlite3-wal", data / "gongkai.sqlite3-shm"):
        if sidecar.exists():
            assert mode(sidecar) == 0o600
    assert mode(data / "secret_key") == 0o600


def test_a_weak_field_encryption_key_is_refused():
    for weak in ("x", "secret", "a" * 40, "Strong-and-long-key-0123456789abcdef,x"):
        with override_settings(FIELD_ENCRYPTION_KEY=weak):
            assert [e.id for e in field_encryption_key_check(None)] == ["gongkai.E001"]
    with override_settings(FIELD_ENCRYPTION_KEY="kq3V9yXb0mT2pL7sR4wZ8nH1cF6dJ5gA,Old-key-2025-NfY2x8Qe1RtV7mKp3sLw"):
        assert field_encryption_key_check(None) == []


def test_check_deploy_says_the_default_key_lies_beside_the_database():
    with override_settings(FIELD_ENCRYPTION_KEY="", SECRET_KEY_FROM_ENV=False):
        warning = next(w for w in gongkai_deploy_checks(None) if w.id == "gongkai.W006")
        assert "secret_key" in warning.msg and "beside the database" in warning.msg
    with override_settings(FIELD_ENCRYPTION_KEY="kq3V9yXb0mT2pL7sR4wZ8nH1cF6dJ5gA"):
        assert "gongkai.W006" not in [w.id for w in gongkai_deploy_checks(None)]
