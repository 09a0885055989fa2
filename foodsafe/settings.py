"""Django settings for foodsafe, read from the environment.

Every setting that differs between a laptop, CI and production comes from an environment
variable parsed by a strict helper (``env_bool``/``env_int``) that fails loudly on a bad value.
SQLite under ``var/`` is the embedded default; set ``DATABASE_URL`` (``postgres://…``) for
PostgreSQL.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from urllib.parse import unquote, urlparse

from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("FOODSAFE_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    """Read a boolean variable; accept 1/0, true/false, yes/no, on/off (any case)."""
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean (use 1/0, true/false)")


def env_int(name: str, default: int) -> int:
    """Read an integer variable; fail with the variable's name on a bad value."""
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name}={raw!r} is not an integer") from exc


def database_from_url(url: str) -> dict:
    """Turn ``sqlite:///path`` or ``postgres://user:pass@host:port/name`` into a DATABASES entry."""
    parsed = urlparse(url)
    if parsed.scheme == "sqlite":
        path = unquote(parsed.path)
        if path.startswith("//"):
            path = path[1:]
        elif path.startswith("/") and not url.startswith("sqlite:////"):
            path = path[1:]
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": path or str(VAR_DIR / "foodsafe.sqlite3"),
        }
    if parsed.scheme in {"postgres", "postgresql"}:
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parsed.path.lstrip("/")),
            "USER": unquote(parsed.username or ""),
            "PASSWORD": unquote(parsed.password or ""),
            "HOST": parsed.hostname or "",
            "PORT": str(parsed.port or ""),
        }
    raise ImproperlyConfigured(f"DATABASE_URL scheme {parsed.scheme!r} is not supported")


def _secret_key() -> str:
    key = os.environ.get("FOODSAFE_SECRET_KEY", "")
    if key:
        return key
    # No key given: a random key generated once and kept outside the repository, under var/
    # (mode 0600). DEBUG is off by default now, so refusing to start without a variable would
    # break every fresh checkout; a production deployment sets FOODSAFE_SECRET_KEY.
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


# Off unless asked for: with DEBUG on, Django answers a missing page or an error with its debug
# page (settings, paths, SQL), which no user of the site may see.
DEBUG = env_bool("FOODSAFE_DEBUG", False)
SECRET_KEY = _secret_key()
ALLOWED_HOSTS = [
    h
    for h in os.environ.get("FOODSAFE_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")
    if h
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "csp",
    "axes",
    "simple_history",
    "foodsafe.accounts",
    "foodsafe.workdays",
    "foodsafe.orgunits",
    "foodsafe.registry",
    "foodsafe.inspections",
    "foodsafe.sampling",
    "foodsafe.enforcement",
    "foodsafe.complaints",
    "foodsafe.workforce",
    "foodsafe.schools",
    "foodsafe.grain",
    "foodsafe.selfinspections",
    "foodsafe.surveys",
    "foodsafe.incidents",
    "foodsafe.insurance",
    "foodsafe.handlers",
    "foodsafe.emergency",
    "foodsafe.sentinels",
    "foodsafe.completeness",
    "foodsafe.programme",
    "foodsafe.evidence",
    "foodsafe.rectification",
    "foodsafe.supervision",
    "foodsafe.materials",
    "foodsafe.inforeports",
    "foodsafe.riskgrading",
    "foodsafe.inspectionplan",
    "foodsafe.samplingplan",
    "foodsafe.riskrank",
    "foodsafe.credit",
    "foodsafe.complainthandling",
    "foodsafe.notices",
    "foodsafe.workplan",
    "foodsafe.demonstration",
    "foodsafe.performance",
    "foodsafe.scorecard",
    "foodsafe.imports",
    "foodsafe.example",
    "foodsafe.reports",
    "foodsafe.tasks",
    "foodsafe.web",
    "foodsafe.public",
    "foodsafe.synthetic",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Static files served by the app itself with DEBUG off (no separate web server needed).
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
    # A bare 405 (require_POST) becomes a page in the site's layout.
    "foodsafe.web.errors.MethodNotAllowedPageMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "foodsafe.urls"
WSGI_APPLICATION = "foodsafe.wsgi.application"

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
                "django.template.context_processors.i18n",
                "foodsafe.web.navigation.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": database_from_url(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'foodsafe.sqlite3'}")
    )
}
# Seconds a worker keeps its database connection between requests (Django's CONN_MAX_AGE; 0:
# a new connection per request). `foodsafe serve` sets 60 unless given: on PostgreSQL every new
# connection forks a server process, authenticates (SCRAM) and warms its catalogue caches, a
# cost paid again on each public form post without it (docs/public.md, load). Tests, commands
# and runserver keep 0. A connection that broke is replaced (CONN_HEALTH_CHECKS).
DATABASES["default"]["CONN_MAX_AGE"] = env_int("FOODSAFE_DB_CONN_MAX_AGE", 0)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "foodsafe" / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Compressed copies at collectstatic; no manifest, so a page renders without collectstatic
    # (tests, a fresh checkout) and WhiteNoise serves whatever collectstatic wrote.
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Without collectstatic (tests, FOODSAFE_DEBUG=1) WhiteNoise finds files in the apps.
WHITENOISE_USE_FINDERS = env_bool("FOODSAFE_STATIC_FROM_APPS", True)
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns at start-up if it is missing
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "login"

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("FOODSAFE_SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "foodsafe.web.errors.csrf_failure"

# Content-Security-Policy on every response (django-csp 4): scripts and styles only from the
# site's own static files, nothing inline, so a value that slips into HTML unescaped cannot run
# (issue 9 point 3). The one exception is django-simple-history's admin history list, whose
# template carries style="border-top: 0": allowed by the hash of exactly that attribute value.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "style-src-attr": [
            "'unsafe-hashes'",
            "'sha256-XMXSevYjgSjXgRafBFDvtjwX+yyWLrxfso9DcNZ9UXM='",  # border-top: 0
        ],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# The survey questionnaire (foodsafe/surveys/questionnaire.py): questions, codes, scoring.
FOODSAFE_SURVEY_SPEC = os.environ.get(
    "FOODSAFE_SURVEY_SPEC",
    str(BASE_DIR / "foodsafe" / "surveys" / "specs" / "satisfaction-2021.yaml"),
)
# Working days to answer an objection to a public notice (foodsafe/notices): no rule gives it,
# a reading [I] the office sets.
FOODSAFE_OBJECTION_REPLY_WORKING_DAYS = env_int("FOODSAFE_OBJECTION_REPLY_WORKING_DAYS", 5)
# The shortest public notice (公示) in calendar days: the plan's city review is "公示15天"
# (实施方案 四（三）; RULES.md §1.4); a reading [I] that every notice here is at least that long.
FOODSAFE_NOTICE_MIN_DAYS = env_int("FOODSAFE_NOTICE_MIN_DAYS", 15)
# Public pages (/public/, foodsafe/public): requests per client address per minute, form posts
# per address per hour, and the shortest time between showing a form and accepting it.
FOODSAFE_PUBLIC_VIEWS_PER_MINUTE = env_int("FOODSAFE_PUBLIC_VIEWS_PER_MINUTE", 120)
FOODSAFE_PUBLIC_POSTS_PER_HOUR = env_int("FOODSAFE_PUBLIC_POSTS_PER_HOUR", 20)
FOODSAFE_PUBLIC_MIN_FILL_SECONDS = env_int("FOODSAFE_PUBLIC_MIN_FILL_SECONDS", 3)
# Request header carrying the client address behind a reverse proxy (e.g. HTTP_X_REAL_IP);
# empty: REMOTE_ADDR.
FOODSAFE_PUBLIC_TRUSTED_PROXY_HEADER = os.environ.get("FOODSAFE_PUBLIC_TRUSTED_PROXY_HEADER", "")

AXES_FAILURE_LIMIT = env_int("FOODSAFE_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"

# The programme spec the CLI and the web use unless told otherwise.
FOODSAFE_PROGRAMME_SPEC = os.environ.get(
    "FOODSAFE_PROGRAMME_SPEC",
    str(BASE_DIR / "foodsafe" / "programme" / "specs" / "heping-2021.yaml"),
)
# The risk-grading scheme in force (foodsafe/riskgrading; README "How to load a province's
# tables"): static tables, checklists, A–D bands, frequencies, year-end adjustment rules.
FOODSAFE_GRADING_SPEC = os.environ.get(
    "FOODSAFE_GRADING_SPEC",
    str(BASE_DIR / "foodsafe" / "riskgrading" / "specs" / "national-2016.yaml"),
)
# The inspection plan's rules (foodsafe/inspectionplan; README "Inspection plans"): frequency
# table, two-year full checklist, 重点监督检查, 双随机 ratios, inspector pairs, publication.
FOODSAFE_PLAN_SPEC = os.environ.get(
    "FOODSAFE_PLAN_SPEC",
    str(BASE_DIR / "foodsafe" / "inspectionplan" / "specs" / "plan-2021.yaml"),
)
# The monthly credit risk classes' rules (foodsafe/credit; README "Credit files and classes"):
# look-back window, points per record, class bands, the records that force class D.
FOODSAFE_CREDIT_SPEC = os.environ.get(
    "FOODSAFE_CREDIT_SPEC",
    str(BASE_DIR / "foodsafe" / "credit" / "specs" / "credit-2022.yaml"),
)
# The member units' monthly performance assessment (绩效考核, foodsafe/performance): factors,
# weights, the overdue penalty and the rule for a factor without data.
FOODSAFE_ASSESSMENT_SPEC = os.environ.get(
    "FOODSAFE_ASSESSMENT_SPEC",
    str(BASE_DIR / "foodsafe" / "performance" / "specs" / "assessment-2021.yaml"),
)
# The sampling plan's rules (foodsafe/samplingplan; README "Sampling plans"): targets, category
# shares, cell weights, residue reserve, 均衡推进 tolerance, 核查处置 step deadlines.
FOODSAFE_SAMPLING_PLAN_SPEC = os.environ.get(
    "FOODSAFE_SAMPLING_PLAN_SPEC",
    str(BASE_DIR / "foodsafe" / "samplingplan" / "specs" / "sampling-2021.yaml"),
)
# Severity of inspection findings for the risk-ranked order (foodsafe/riskrank/severity.yaml,
# [I]: the ledgers keep no severity; docs/inspection-order.md).
FOODSAFE_RISKRANK_SEVERITY = os.environ.get("FOODSAFE_RISKRANK_SEVERITY", "")
# Words in an operator's name the risk-ranked order reads (foodsafe/riskrank/name_words.yaml, [I]).
FOODSAFE_RISKRANK_NAME_WORDS = os.environ.get("FOODSAFE_RISKRANK_NAME_WORDS", "")
# Who may import which ledger and change which rows (docs/import-scope.md).
FOODSAFE_IMPORT_SCOPE = os.environ.get(
    "FOODSAFE_IMPORT_SCOPE",
    str(BASE_DIR / "foodsafe" / "programme" / "specs" / "heping-2021.imports.yaml"),
)
FOODSAFE_MAX_UPLOAD_BYTES = env_int("FOODSAFE_MAX_UPLOAD_BYTES", 20 * 1024 * 1024)
# Evidence files: outside the web root, served only through permission-checked views.
PRIVATE_MEDIA_ROOT = Path(os.environ.get("FOODSAFE_PRIVATE_MEDIA_ROOT", VAR_DIR / "private"))
FOODSAFE_MAX_EVIDENCE_BYTES = env_int("FOODSAFE_MAX_EVIDENCE_BYTES", 30 * 1024 * 1024)
# 材料报送 (issue 17): the programme phase by whose last day every task's evidence should be
# approved; after it, assignments with none are listed on 逾期督办 ([M] reading of plan 四（二）2).
FOODSAFE_MATERIALS_DUE_PHASE = os.environ.get("FOODSAFE_MATERIALS_DUE_PHASE", "full_push")
# Backdating (new-user test): a record typed in by hand (a rectification's 登记日期) may be
# dated no earlier than 1 January of the programme's year minus this many years — the vetoes'
# own look-back (three years, 否决项 2 and 3) — and no later than today; one dated in an
# earlier month than today's is marked 补登往期 in its history (who, when, which day).
FOODSAFE_RECORD_LOOKBACK_YEARS = env_int("FOODSAFE_RECORD_LOOKBACK_YEARS", 3)
# Checklist photos (foodsafe/riskgrading/photos.py): PNG/JPEG only, each at most this size.
FOODSAFE_MAX_PHOTO_BYTES = env_int("FOODSAFE_MAX_PHOTO_BYTES", 10 * 1024 * 1024)
# Seconds the web pages keep an evaluated scorecard (foodsafe/scorecard/cache.py; 0 = off). A
# change to any ledger, finding or evidence is a new key, so nothing stale is ever shown.
FOODSAFE_SCORECARD_CACHE_SECONDS = env_int("FOODSAFE_SCORECARD_CACHE_SECONDS", 0)
# One cache for every worker of the production server (`foodsafe serve` starts several
# processes; a per-process memory cache would compute each scorecard once per worker). Files
# under var/cache need no extra service on the embedded default; FOODSAFE_CACHE=database
# (after `foodsafe createcachetable`) shares it across machines, =memory is per process.
# The file cache counts its files every 32nd write of a worker, not before every write (Django's
# way: ~4 ms of CPU at 2,000 files, on every public form post): MAX_ENTRIES is a soft bound
# (foodsafe/lib/filecache.py, docs/public.md "Load").
_CACHE_KIND = os.environ.get("FOODSAFE_CACHE", "file")
_CACHE_BACKENDS = {
    "file": {
        "BACKEND": "foodsafe.lib.filecache.FileCache",
        "LOCATION": str(Path(os.environ.get("FOODSAFE_CACHE_DIR", VAR_DIR / "cache"))),
        "OPTIONS": {"MAX_ENTRIES": env_int("FOODSAFE_CACHE_MAX_ENTRIES", 2000)},
    },
    "database": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "foodsafe_cache",
    },
    "memory": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
}
if _CACHE_KIND not in _CACHE_BACKENDS:
    raise ImproperlyConfigured(
        f"FOODSAFE_CACHE={_CACHE_KIND!r}: expected one of {', '.join(_CACHE_BACKENDS)}"
    )
CACHES = {"default": _CACHE_BACKENDS[_CACHE_KIND]}
# The production server (`foodsafe serve`, gunicorn): address and worker processes.
FOODSAFE_BIND = os.environ.get("FOODSAFE_BIND", "127.0.0.1:8000")
FOODSAFE_WEB_WORKERS = env_int("FOODSAFE_WEB_WORKERS", 0)  # 0: 2 × cores + 1, at most 9
FOODSAFE_WEB_TIMEOUT = env_int("FOODSAFE_WEB_TIMEOUT", 300)  # seconds a request may take

# E-mail copies of notifications (站内通知), through the organisation's own SMTP server only:
# with FOODSAFE_EMAIL_HOST unset nothing is mailed (the in-app list still fills).
EMAIL_HOST = os.environ.get("FOODSAFE_EMAIL_HOST", "")
EMAIL_PORT = env_int("FOODSAFE_EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("FOODSAFE_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("FOODSAFE_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("FOODSAFE_EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("FOODSAFE_EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("FOODSAFE_EMAIL_TIMEOUT", 20)
DEFAULT_FROM_EMAIL = os.environ.get("FOODSAFE_EMAIL_FROM", "foodsafe@localhost")
FOODSAFE_EMAIL_NOTIFICATIONS = bool(EMAIL_HOST)
# The address people open the site at, for links in e-mails (e.g. https://foodsafe.example.gov.cn).
FOODSAFE_SITE_URL = os.environ.get("FOODSAFE_SITE_URL", "")
if not FOODSAFE_EMAIL_NOTIFICATIONS:
    EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("FOODSAFE_LOG_LEVEL", "WARNING")},
}
