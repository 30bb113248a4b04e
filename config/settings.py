"""Settings for gongkai.

Everything that differs between a laptop demo and production comes from environment variables with
safe defaults (see README "Configuration"). `gongkai check --deploy` warns when a default is unsafe.
"""

import json
import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DATA_DIR = Path(os.environ.get("GONGKAI_DATA_DIR", BASE_DIR / "var")).resolve()
if not DATA_DIR.exists():
    # The platform's own user only: the database, keys, mail and uploads are inside (issue 15.10).
    DATA_DIR.mkdir(mode=0o700, parents=True)
    DATA_DIR.chmod(0o700)
# ../shared beside the repository holds the real demo data when present.
SHARED_DIR = Path(os.environ.get("GONGKAI_SHARED_DIR", BASE_DIR.parent / "shared")).resolve()


def _stored_key(variable: str, file_name: str) -> str:
    """A key from the environment, else a random key kept in DATA_DIR/<file_name> (0600, never in the repository)."""
    if os.environ.get(variable):
        return os.environ[variable]
    key_file = DATA_DIR / file_name
    if not key_file.exists():
        from django.core.management.utils import get_random_secret_key

        try:  # O_EXCL: two processes starting at once keep the first one's key
            fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "w") as f:
                f.write(get_random_secret_key())
    return key_file.read_text().strip()


def _secret_key() -> str:
    """SECRET_KEY from the environment, else a random key kept in DATA_DIR (never in the repository)."""
    return _stored_key("SECRET_KEY", "secret_key")


SECRET_KEY = _secret_key()
SECRET_KEY_FROM_ENV = bool(os.environ.get("SECRET_KEY"))
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.admin",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "huey.contrib.djhuey",
    "gongkai.core",
    "gongkai.documents",
    "gongkai.search",
    "gongkai.applications",
    "gongkai.reports",
    "gongkai.compliance",
    "gongkai.catalog",
    "gongkai.consultations",
    "gongkai.opendata",
    "gongkai.qa",
    "gongkai.interaction",
    "gongkai.oversight",
    "gongkai.subscriptions",
    "gongkai.workspace",
    "gongkai.portal",
    "gongkai.api",
    "gongkai.site",
]

MIDDLEWARE = [
    "gongkai.core.ratelimit.RequestSizeLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "gongkai.portal.middleware.SecurityHeadersMiddleware",
    "gongkai.core.textclean.ControlCharactersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "gongkai.portal.usage.UsageMiddleware",
    "gongkai.portal.caching.PublicPageCacheMiddleware",
    "gongkai.core.ratelimit.ExpensiveRequestMiddleware",
    "gongkai.portal.caching.PublicPageSessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "gongkai.core.secondfactor.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "gongkai.core.lockout.PasswordAgeMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "gongkai.core.context_processors.platform",
                "gongkai.portal.context_processors.portal",
            ],
        },
    },
]

# --- Database: SQLite (WAL) by default, PostgreSQL when DATABASE_URL says so -----------------------
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{DATA_DIR / 'gongkai.sqlite3'}"),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # IMMEDIATE takes the write lock at BEGIN, so concurrent writers queue instead of failing.
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
            "PRAGMA busy_timeout=20000; PRAGMA cache_size=-64000;"
        ),
    }
    _sqlite_file = Path(DATABASES["default"]["NAME"])
    if str(_sqlite_file) != ":memory:" and not _sqlite_file.exists() and _sqlite_file.parent.exists():
        # Created 0600 before SQLite opens it; SQLite gives its -wal and -shm files the same mode.
        os.close(os.open(_sqlite_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
IS_POSTGRES = DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Auth and login hardening -------------------------------------------------------------------------
AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "gongkai.core.lockout.AddressLockBackend",  # password spraying across accounts (core/lockout.py)
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "gongkai.core.passwords.CharacterClassValidator", "OPTIONS": {"min_classes": 3}},
    {"NAME": "gongkai.core.lockout.PasswordHistoryValidator"},
]
LOGIN_URL = "workspace:login"
CSRF_FAILURE_VIEW = "gongkai.api.errors.csrf_failure"  # JSON under /api/ (issue 15.6)
LOGIN_REDIRECT_URL = "workspace:home"
LOGOUT_REDIRECT_URL = "workspace:login"
# Lock an account (username + address) for 30 minutes after 5 failed logins.
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("LOGIN_COOLOFF_HOURS", "0.5"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "workspace/locked_out.html"
AXES_VERBOSE = False
# 等保2.0 三级 身份鉴别 (GB/T 22239-2019 8.1.4.1; defaults and sources in gongkai/core/conf.py): an address whose
# failures name this many accounts within the window is refused for all (password spraying); staff change
# their password every PASSWORD_MAX_AGE_DAYS (0 = off) and may not reuse the last PASSWORD_HISTORY_COUNT.
LOGIN_SPRAY_ACCOUNT_LIMIT = int(os.environ.get("LOGIN_SPRAY_ACCOUNT_LIMIT", "10"))
PASSWORD_MAX_AGE_DAYS = int(os.environ.get("PASSWORD_MAX_AGE_DAYS", "90"))
PASSWORD_HISTORY_COUNT = int(os.environ.get("PASSWORD_HISTORY_COUNT", "5"))
# Second factor of staff sign-in (等保2.0 三级 身份鉴别; gongkai/core/secondfactor.py): required for the roles
# that see personal data and for Django-admin users; STAFF_OTP_ALL_STAFF extends it to every staff member.
STAFF_OTP_REQUIRED = env_bool("STAFF_OTP_REQUIRED", True)
STAFF_OTP_ROLES = env_list("STAFF_OTP_ROLES", "platform_admin,office_admin,handler,legal_reviewer")
STAFF_OTP_ALL_STAFF = env_bool("STAFF_OTP_ALL_STAFF", False)
STAFF_OTP_URL = "workspace:second_factor"
STAFF_OTP_PATHS = ("/workspace/", "/admin/", "/api/")
STAFF_OTP_EXEMPT_PATHS = ("/workspace/login/", "/workspace/logout/", "/workspace/second-factor/", "/admin/login/",
                          "/admin/logout/")
OTP_TOTP_ISSUER = os.environ.get("OTP_TOTP_ISSUER", "gongkai")
# Idle staff sessions end after 30 minutes; the cookie dies with the browser.
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_IDLE_SECONDS", "1800"))
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# --- HTTPS and headers ---------------------------------------------------------------------------------
HTTPS = env_bool("HTTPS", False)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS and env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_PROXY", False) else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"

# --- Language and time ---------------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files ------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", DATA_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_MAX_AGE = 31536000
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# Attachments: what may be uploaded and how large (in MB).
ATTACHMENT_MAX_MB = int(os.environ.get("ATTACHMENT_MAX_MB", "50"))
ATTACHMENT_EXTENSIONS = env_list(
    "ATTACHMENT_EXTENSIONS",
    "pdf,ofd,doc,docx,wps,xls,xlsx,et,csv,txt,jpg,jpeg,png,gif,zip,rar,7z,mp3,mp4",
)

# --- Cache ---------------------------------------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    # Files in DATA_DIR, shared by every web process of the host (the portal's page cache): one process
    # renders a page and all serve it. A per-process memory cache made each worker render every page
    # itself (README "The public portal"); Redis needs a server the embedded default must not need.
    CACHES = {"default": {"BACKEND": "gongkai.core.filecache.FileCache",
                          "LOCATION": str(DATA_DIR / "cache"), "OPTIONS": {"MAX_ENTRIES": 20000}}}

# --- Background tasks (huey): SQLite-backed on the embedded default, Redis in production ----------------
HUEY = {
    "huey_class": "huey.RedisHuey" if REDIS_URL else "huey.SqliteHuey",
    "name": "gongkai",
    "immediate": env_bool("TASKS_IMMEDIATE", False),
    "utc": True,
    "consumer": {"workers": int(os.environ.get("TASK_WORKERS", "2")), "worker_type": "thread"},
}
if REDIS_URL:
    HUEY["url"] = REDIS_URL
else:
    HUEY["filename"] = str(DATA_DIR / "tasks.sqlite3")

# --- E-mail --------------------------------------------------------------------------------------------
# Not configured: each message a file in DATA_DIR/mail, mode 0600 (never printed to the log; issue 15.10).
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "gongkai.core.mail.FileEmailBackend")
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(DATA_DIR / "mail"))
# SMTP: EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend with EMAIL_HOST/EMAIL_PORT/EMAIL_HOST_USER/….
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "30"))
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "gongkai@localhost")

# --- API -----------------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # JSON without control characters; forms come cleaned by ControlCharactersMiddleware (issue 15.3).
    "DEFAULT_PARSER_CLASSES": ["gongkai.api.parsers.CleanJSONParser", "rest_framework.parsers.FormParser",
                               "rest_framework.parsers.MultiPartParser"],
    "EXCEPTION_HANDLER": "gongkai.api.errors.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "gongkai API",
    "DESCRIPTION": "政务公开平台 read API: policy documents and organisations.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI at /api/v1/docs/ from the platform's own static files (no CDN).
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Error answers of every operation (400/403/404/413/429/503), found undocumented by the schema fuzz (15.6).
    "POSTPROCESSING_HOOKS": ["drf_spectacular.hooks.postprocess_schema_enums",
                             "gongkai.api.schema_hooks.document_error_responses"],
    "ENUM_NAME_OVERRIDES": {
        "ConsultationKindEnum": "gongkai.consultations.models.Consultation.Kind",
        "DecisionStateEnum": "gongkai.consultations.models.DecisionItem.State",
        "OpinionChannelEnum": "gongkai.consultations.models.Opinion.Channel",
        "OpinionRejectReasonEnum": "gongkai.consultations.models.Opinion.RejectReason",
        "AdoptionOutcomeEnum": "gongkai.consultations.models.OpinionGroup.Outcome",
        "OrganisationKindEnum": "gongkai.core.models.Organisation.Kind",
        "EventKindEnum": "gongkai.documents.models.LifecycleEvent.Kind",
    },
}
API_MAX_PAGE_SIZE = 100

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# --- Domain configuration --------------------------------------------------------------------------------
# Interpretations later than this many working days after their document are flagged (seed 001; RULES §8).
INTERPRETATION_DEADLINE_WORKING_DAYS = int(os.environ.get("INTERPRETATION_DEADLINE_WORKING_DAYS", "3"))
# Each process re-reads the database working-day calendar's change token at most this often (seconds);
# a change made in the same process is seen at once (gongkai/core/workdays.py).
CALENDAR_RECHECK_SECONDS = float(os.environ.get("CALENDAR_RECHECK_SECONDS", "1.0"))
# Default 索引号 pattern; each organisation may set its own (RULES §6).
DEFAULT_INDEX_NO_PATTERN = "{code}/{year}-{seq:05d}"

# --- Disclosure applications (依申请公开; RULES §1, §2) ------------------------------------------------------
# Key(s) encrypting applicants' personal data at rest: comma-separated, the first encrypts, all decrypt
# (rotation). Empty: derived from SECRET_KEY — set it in production so a new SECRET_KEY keeps data readable.
FIELD_ENCRYPTION_KEY = os.environ.get("FIELD_ENCRYPTION_KEY", "")
# --- Subscriptions (docs/subscriptions.md "Keys") -------------------------------------------------------------
# Signs subscribers' links (unsubscribe, not relevant, sign-in, manage) and keys the HMAC by which an address is
# looked up, so that rotating SECRET_KEY voids neither. Comma-separated: the first signs and digests, all are
# accepted (rotation). Unset: a random key kept in DATA_DIR/subscriptions_key, like SECRET_KEY.
SUBSCRIPTIONS_KEY = _stored_key("SUBSCRIPTIONS_KEY", "subscriptions_key")
SUBSCRIPTIONS_KEY_FROM_ENV = bool(os.environ.get("SUBSCRIPTIONS_KEY"))
# Statutory periods in working days (条例 第三十条、第三十二条至第三十四条); local rules may differ.
APPLICATION_REPLY_WORKING_DAYS = int(os.environ.get("APPLICATION_REPLY_WORKING_DAYS", "20"))
APPLICATION_EXTENSION_MAX_WORKING_DAYS = int(os.environ.get("APPLICATION_EXTENSION_MAX_WORKING_DAYS", "20"))
APPLICATION_SUPPLEMENT_NOTICE_WORKING_DAYS = int(os.environ.get("APPLICATION_SUPPLEMENT_NOTICE_WORKING_DAYS", "7"))
APPLICATION_CONSULTATION_WORKING_DAYS = int(os.environ.get("APPLICATION_CONSULTATION_WORKING_DAYS", "15"))
# Fee payment period and whether waiting for payment pauses the clock: RULES §2 marks both unverified.
APPLICATION_FEE_PAYMENT_WORKING_DAYS = int(os.environ.get("APPLICATION_FEE_PAYMENT_WORKING_DAYS", "20"))
APPLICATION_FEE_PAUSES_CLOCK = env_bool("APPLICATION_FEE_PAUSES_CLOCK", True)
APPLICATION_DUE_SOON_WORKING_DAYS = int(os.environ.get("APPLICATION_DUE_SOON_WORKING_DAYS", "5"))
# Per-organisation overrides, JSON keyed by organisation code, e.g. {"000014349": {"reply_days": 15}}.
APPLICATION_RULES_BY_ORGANISATION = json.loads(os.environ.get("APPLICATION_RULES_BY_ORGANISATION", "{}"))

# --- Public intake and the case pages (依申请公开 issue 5) -----------------------------------------------------
# Rate limits "COUNT/SECONDS": filings per client address, filings per applicant identity (ID number or
# 统一社会信用代码), failed tracking look-ups per address. Counted in the database (all processes share them).
APPLICATION_INTAKE_LIMIT_PER_ADDRESS = os.environ.get("APPLICATION_INTAKE_LIMIT_PER_ADDRESS", "10/3600")
APPLICATION_INTAKE_LIMIT_PER_APPLICANT = os.environ.get("APPLICATION_INTAKE_LIMIT_PER_APPLICANT", "5/86400")
APPLICATION_TRACKING_LIMIT_PER_ADDRESS = os.environ.get("APPLICATION_TRACKING_LIMIT_PER_ADDRESS", "20/3600")
# Requests for a link to set a new tracking secret (issue 17.7): per client address, per tracking code.
APPLICATION_RECOVERY_LIMIT_PER_ADDRESS = os.environ.get("APPLICATION_RECOVERY_LIMIT_PER_ADDRESS", "5/3600")
APPLICATION_RECOVERY_LIMIT_PER_CASE = os.environ.get("APPLICATION_RECOVERY_LIMIT_PER_CASE", "3/86400")
# Attachments handed in online: how many, how large (MB each), which types.
APPLICATION_INTAKE_MAX_FILES = int(os.environ.get("APPLICATION_INTAKE_MAX_FILES", "5"))
APPLICATION_INTAKE_FILE_MAX_MB = int(os.environ.get("APPLICATION_INTAKE_FILE_MAX_MB", "10"))
# --- Guards of public requests (issue 15.1, 15.7; gongkai/core/ratelimit.py, docs/security.md) --------------
# Largest request body, refused (413) from its declared length before it is read: the public forms' largest
# legitimate post (the intake's attachments) plus room for the fields; staff pages may upload attachments.
REQUEST_MAX_BYTES = int(os.environ.get(
    "REQUEST_MAX_MB", str(APPLICATION_INTAKE_MAX_FILES * APPLICATION_INTAKE_FILE_MAX_MB + 2))) * 1024 * 1024
REQUEST_MAX_BYTES_STAFF = int(os.environ.get("REQUEST_MAX_MB_STAFF", "200")) * 1024 * 1024
REQUEST_MAX_BYTES_STAFF_PREFIXES = ("/workspace/", "/admin/")
# Expensive public requests (searches and what is built from them): per client address at most this many
# that miss the page cache ("COUNT/SECONDS", else 429 with Retry-After); at most EXPENSIVE_CONCURRENCY of
# them at a time on the host (default: half the cores, so page views always keep the other half), each
# waiting at most EXPENSIVE_QUEUE_SECONDS for a slot (else 503); every database query of one of them
# ended after EXPENSIVE_QUERY_SECONDS.
EXPENSIVE_LIMIT_PER_CLIENT = os.environ.get("EXPENSIVE_LIMIT_PER_CLIENT", "60/60")
EXPENSIVE_CONCURRENCY = int(os.environ.get("EXPENSIVE_CONCURRENCY", str(max(1, (os.cpu_count() or 2) // 2))))
EXPENSIVE_QUEUE_SECONDS = float(os.environ.get("EXPENSIVE_QUEUE_SECONDS", "2"))
# At most this many wait for a slot (the others get 503 at once), so waiting never ties up the workers.
EXPENSIVE_QUEUE_LENGTH = int(os.environ.get("EXPENSIVE_QUEUE_LENGTH", str(EXPENSIVE_CONCURRENCY)))
EXPENSIVE_QUERY_SECONDS = float(os.environ.get("EXPENSIVE_QUERY_SECONDS", "10"))
EXPENSIVE_REQUESTS = [
    {"path": r"^/zhengce/$"},  # the policy library (search page)
    {"path": r"^/zhengce/suggest/$"},
    {"path": r"^/feeds/search\.atom$"},
    {"path": r"^/api/v1/documents/?$", "param": "q"},  # API search (the plain list is an indexed filter)
    {"path": r"^/api/v1/documents/suggest$"},
    {"path": r"^/api/v1/qa/"},  # questions to the Q&A base
    {"path": r"^/shuju/$", "param": "q"},  # dataset search
    {"path": r"^/api/3/action/package_search$"},
    {"path": r"^/api/action/package_search$"},
    # Before an anonymous upload is read: an address already over the intake limit is refused at once.
    {"path": r"^/yisq/new/", "methods": ["POST"], "scope": "intake_address",
     "limit_setting": "APPLICATION_INTAKE_LIMIT_PER_ADDRESS", "record": False, "pool": "",
     "message": "提交过于频繁，请稍后再试。"},
]
# Off only where a gateway in front does the same (and for bench/search_flood.py's baseline).
if not env_bool("EXPENSIVE_GUARDS", True):
    EXPENSIVE_REQUESTS = []
APPLICATION_INTAKE_EXTENSIONS = env_list("APPLICATION_INTAKE_EXTENSIONS", "pdf,ofd,jpg,jpeg,png,doc,docx,txt")
APPLICATION_INTAKE_DESCRIPTION_MAX_CHARS = int(os.environ.get("APPLICATION_INTAKE_DESCRIPTION_MAX_CHARS", "5000"))
# SMS notices to applicants: dotted path of a callable(phone, text); empty = not configured (logged).
APPLICATION_SMS_SENDER = os.environ.get("APPLICATION_SMS_SENDER", "")
# Outcome groups (outcomes.py) whose determination needs the legal adviser's sign-off (法律顾问) first.
APPLICATION_LEGAL_REVIEW_GROUPS = env_list("APPLICATION_LEGAL_REVIEW_GROUPS", "withheld,partial")

# 雷同率 (share of 8-character shingles shared with last year's or a peer's report) that raises a warning.
REPORT_SIMILARITY_WARNING = float(os.environ.get("REPORT_SIMILARITY_WARNING", "0.5"))
# Days before the legal deadline (1月31日 / 3月31日) on which the responsible office is reminded.
REPORT_REMINDER_DAYS = [int(d) for d in env_list("REPORT_REMINDER_DAYS", "30,14,7,3,1")]

# --- Content checks and review before publication (gongkai.compliance) ---------------------------------
# Distinct reviewers who must approve a document's final text before it is published (seed 002 §15).
COMPLIANCE_REQUIRED_APPROVALS = int(os.environ.get("COMPLIANCE_REQUIRED_APPROVALS", "2"))
COMPLIANCE_REVIEW_REQUIRED = env_bool("COMPLIANCE_REVIEW_REQUIRED", True)
COMPLIANCE_CHECK_ON_SAVE = env_bool("COMPLIANCE_CHECK_ON_SAVE", True)
# The wrong-character model, built by `gongkai compliance_build_lm` from SHARED_DIR/data.
COMPLIANCE_LM_PATH = Path(os.environ.get("COMPLIANCE_LM_PATH", DATA_DIR / "compliance" / "charlm.pkl.gz"))
# When a check needs the model and it is missing, build it in the background where the corpus is present
# (never skipped silently: the checks and the review page say it is missing meanwhile).
COMPLIANCE_LM_BUILD_ON_NEED = env_bool("COMPLIANCE_LM_BUILD_ON_NEED", True)
# Build from the first N characters of the corpora only (a smaller model for tests); None = all.
COMPLIANCE_LM_BUILD_LIMIT_CHARS: int | None = None
COMPLIANCE_TYPO_THRESHOLD = float(os.environ.get("COMPLIANCE_TYPO_THRESHOLD", "11"))
# Proofreading on request (gongkai check, 仔细校对); defaults and their measurement in gongkai/compliance/conf.py.
if os.environ.get("COMPLIANCE_TYPO_THOROUGH_THRESHOLD"):
    COMPLIANCE_TYPO_THOROUGH_THRESHOLD = float(os.environ["COMPLIANCE_TYPO_THOROUGH_THRESHOLD"])
if os.environ.get("COMPLIANCE_TYPO_THOROUGH_WORD_THRESHOLD"):
    COMPLIANCE_TYPO_THOROUGH_WORD_THRESHOLD = float(os.environ["COMPLIANCE_TYPO_THOROUGH_WORD_THRESHOLD"])
COMPLIANCE_SWEEP_TYPOS = env_bool("COMPLIANCE_SWEEP_TYPOS", False)
# Context-aware exceptions of the personal-data check (fields of checks.pii.PiiPolicy).
COMPLIANCE_PII: dict = {}
