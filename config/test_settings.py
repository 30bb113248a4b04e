"""Fast settings for the test suite: same database choice (DATABASE_URL), cheap hashing, tasks inline."""

import tempfile

from .settings import *  # noqa: F403
from .settings import HUEY, STORAGES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
HUEY = {**HUEY, "immediate": True}
# Tasks run inline here: a test that needs the wrong-character model builds a small one itself.
COMPLIANCE_LM_BUILD_ON_NEED = False
MEDIA_ROOT = tempfile.mkdtemp(prefix="gongkai-test-media-")
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "gongkai-test"}}
# Tests roll back their transactions: check the calendar token on every computation so rolled-back
# calendar data never leaks from one test into the next.
CALENDAR_RECHECK_SECONDS = 0
STATIC_ROOT = tempfile.mkdtemp(prefix="gongkai-test-static-")
# The second factor is tested where it is the subject (tests/security/test_second_factor.py, which turns it
# on); elsewhere tests sign staff in with the password, as a deployment with STAFF_OTP_REQUIRED=false does.
STAFF_OTP_REQUIRED = False
# Usage counts are written only when a test flushes them: a timed flush inside another test's request
# would add queries to its counted ones.
OVERSIGHT_USAGE_FLUSH_EVERY = 10**9
OVERSIGHT_USAGE_FLUSH_SECONDS = 10**9
# The password change period is tested where it is the subject (tests/workspace/test_auth.py turns it on);
# elsewhere tests travel in time with users created today.
PASSWORD_MAX_AGE_DAYS = 0
