"""Settings, read from the environment with safe defaults.

Personal mode (the default) keeps everything in one folder on the user's machine:
SQLite database and the generated secret key. Hosted mode reads DATABASE_URL and
ALLYMAP_SECRET_KEY (or ALLYMAP_SECRET_KEY_FILE). Every setting is listed in
docs/configuration.md.
"""

from __future__ import annotations

import json
import os
import re
import secrets
from pathlib import Path

import dj_database_url
import platformdirs
from django.core.exceptions import ImproperlyConfigured

PACKAGE_DIR = Path(__file__).resolve().parent


def env_bool(name: str, default: bool) -> bool:
    """Read a True/False setting; anything else is a configuration error, not a guess."""
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value in ("1", "true", "True", "yes"):
        return True
    if value in ("0", "false", "False", "no"):
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_int(name: str, default: int, *, minimum: int = 0) -> int:
    """Read a whole-number setting, refusing anything that is not one."""
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None
    if number < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, not {number}")
    return number


# --- where to get help now ------------------------------------------------------------

# A number people dial: digits, with spaces, hyphens or a leading + to make it readable.
_PHONE_NUMBER = re.compile(r"\+?[0-9](?:[0-9 -]{0,22}[0-9])?")
_HELPLINE_KEYS = {"name": 80, "number": 24, "about": 160}  # each key's longest value

NZ_HELPLINES: tuple[dict[str, str], ...] = tuple(
    {"name": name, "number": number, "about": about}
    for name, number, about in (
        ("Women’s Refuge crisis line", "0800 733 843", "or 0800 REFUGE, any time"),
        ("Shine helpline", "0508 744 633", "9am to 11pm"),
        ("Are You OK", "0800 456 450", "information and support about family violence"),
        ("Hey Bro", "0800 439 276", "for men who feel they might harm someone, any time"),
        (
            "Safe to talk",
            "0800 044 334",
            "or text 4334, any time, for anyone affected by sexual harm",
        ),
        ("Need to talk", "1737", "call or text, any time"),
    )
)
"""The helplines shown when ALLYMAP_HELPLINES is not set: New Zealand's."""


def env_phone_number(name: str, default: str) -> str:
    """Read a number people dial (see `_PHONE_NUMBER`), refusing anything else."""
    value = os.environ.get(name, "").strip() or default
    if not _PHONE_NUMBER.fullmatch(value):
        raise ImproperlyConfigured(
            f"{name} must be a phone number (digits, spaces, hyphens, a leading +), not {value!r}"
        )
    return value


def env_silent_code(name: str, default: str) -> str:
    """Read what to press on a call to the emergency number when you cannot talk: a few
    digits, or nothing (set to "none") where there is no such code."""
    value = os.environ.get(name, "").strip() or default
    if value == "none":
        return ""
    if not (value.isascii() and value.isdigit() and len(value) <= 4):
        raise ImproperlyConfigured(f'{name} must be up to 4 digits, or "none", not {value!r}')
    return value


def env_helplines(name: str, default: tuple[dict[str, str], ...]) -> tuple[dict[str, str], ...]:
    """Read helplines: a JSON list of objects with "name" and "number" and, optionally,
    "about" (when it is open, who it is for), all strings. An empty list shows none.
    Anything else stops allymap with a message that says what is wrong and where."""
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        lines = json.loads(value)
    except json.JSONDecodeError as problem:
        raise ImproperlyConfigured(f"{name} is not JSON ({problem})") from None
    if not isinstance(lines, list):
        raise ImproperlyConfigured(f'{name} must be a JSON list of {{"name", "number", "about"}}')
    return tuple(_helpline(f"{name}[{n}]", line) for n, line in enumerate(lines))


def _helpline(where: str, line: object) -> dict[str, str]:
    if not isinstance(line, dict):
        raise ImproperlyConfigured(f'{where} must be an object with "name" and "number"')
    unknown = sorted(set(line) - set(_HELPLINE_KEYS))
    if unknown:
        raise ImproperlyConfigured(f"{where} has keys allymap does not know: {unknown}")
    helpline = {"about": ""}
    for key, longest in _HELPLINE_KEYS.items():
        text = line.get(key, "")
        if not isinstance(text, str):
            raise ImproperlyConfigured(f"{where}.{key} must be a string, not {text!r}")
        text = text.strip()
        if not text and key != "about":
            raise ImproperlyConfigured(f"{where} needs a {key!r}")
        if len(text) > longest:
            raise ImproperlyConfigured(f"{where}.{key} is longer than {longest} characters")
        helpline[key] = text
    if not _PHONE_NUMBER.fullmatch(helpline["number"]):
        raise ImproperlyConfigured(
            f"{where}.number must be a phone number (digits, spaces, hyphens, a leading +), "
            f"not {helpline['number']!r}"
        )
    return helpline


def data_dir() -> Path:
    """The folder that holds this installation's data (created on first use)."""
    configured = os.environ.get("ALLYMAP_DATA_DIR")
    path = Path(configured) if configured else Path(platformdirs.user_data_dir("allymap", False))
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def _secret_key(folder: Path, hosted: bool) -> str:
    """The hosted key comes from the environment; personal mode makes one, kept private."""
    if value := os.environ.get("ALLYMAP_SECRET_KEY"):
        return value
    if file_name := os.environ.get("ALLYMAP_SECRET_KEY_FILE"):
        return Path(file_name).read_text(encoding="utf-8").strip()
    if hosted:
        raise ImproperlyConfigured(
            "Hosted mode needs ALLYMAP_SECRET_KEY or ALLYMAP_SECRET_KEY_FILE"
        )
    key_file = folder / "secret_key"
    if not key_file.exists():
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(secrets.token_urlsafe(50))
    return key_file.read_text(encoding="utf-8").strip()


HOSTED = env_bool("ALLYMAP_HOSTED", False)
DEBUG = env_bool("ALLYMAP_DEBUG", False)
DATA_DIR = data_dir()
SECRET_KEY = _secret_key(DATA_DIR, HOSTED)

ALLOWED_HOSTS = [
    host.strip()
    for host in os.environ.get("ALLYMAP_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]").split(",")
    if host.strip()
]

INSTALLED_APPS = [
    "django.contrib.sessions",
    "allymap.store",
    "allymap.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "allymap.web.middleware.security_headers",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allymap.web.middleware.keyring",
    "allymap.web.middleware.failures_in_frame",
]

ROOT_URLCONF = "allymap.urls"
WSGI_APPLICATION = "allymap.wsgi.application"

# Django's form renderer, with its commonest widget templates written in Python.
FORM_RENDERER = "allymap.web.forms.renderer.QuickRenderer"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csrf",
                "allymap.web.context.allymap",
            ],
        },
    }
]


# How long a SQLite writer waits for another to finish before giving up.
SQLITE_BUSY_TIMEOUT_SECONDS = 20


def _database() -> dict[str, object]:
    url = os.environ.get("DATABASE_URL", "")
    if url:
        database = dict(dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True))
        # A server that does not answer must not hold a request (a lock, an exit) for
        # the operating system's TCP timeout.
        options: dict[str, object] = dict(database.get("OPTIONS") or {})  # type: ignore[call-overload]
        options.setdefault("connect_timeout", 5)
        database["OPTIONS"] = options
        return database
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": DATA_DIR / "allymap.sqlite3",
        "OPTIONS": {
            # WAL for concurrent readers; FULL so an acknowledged write survives a crash;
            # secure_delete so freed pages are overwritten, not left readable.
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA secure_delete=ON;"
            ),
            "transaction_mode": "IMMEDIATE",
            "timeout": SQLITE_BUSY_TIMEOUT_SECONDS,
        },
    }


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Sessions hold only ciphertext: the account's private key wrapped under a session key
# that lives in the browser's cookie alone (docs/threat-model.md).
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_NAME = "allymap_session"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Strict"
SESSION_COOKIE_SECURE = HOSTED
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CSRF_COOKIE_NAME = "allymap_csrf"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Strict"
CSRF_COOKIE_SECURE = HOSTED
CSRF_FAILURE_VIEW = "allymap.web.views.general.csrf_failure"

SECURE_CONTENT_TYPE_NOSNIFF = True
# "same-origin", not "no-referrer": under no-referrer Chromium sends `Origin: null` with
# every form post, which Django's CSRF check rightly refuses. same-origin still sends
# nothing to any other site (and allymap links to none, and puts no names in URLs).
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if HOSTED:
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("ALLYMAP_SSL_REDIRECT", True)

LANGUAGE_CODE = "en-nz"
LANGUAGES = [("en-nz", "English (New Zealand)")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
# allymap speaks one language (New Zealand English) and ships no translations: with the
# translation machinery off, each {% translate %} costs a lookup less (a page says
# hundreds). Turn it on with the first translation.
USE_I18N = False
TIME_ZONE = os.environ.get("ALLYMAP_TIME_ZONE", "Pacific/Auckland")
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = PACKAGE_DIR / "web" / "static"

DATA_UPLOAD_MAX_MEMORY_SIZE = 256 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 200

# allymap's own settings.
ALLYMAP_IDLE_LOCK_SECONDS = env_int(
    # Seconds, for tests of the idle lock itself; people set minutes.
    "ALLYMAP_IDLE_LOCK_SECONDS",
    env_int("ALLYMAP_IDLE_LOCK_MINUTES", 15, minimum=1) * 60,
    minimum=5,
)
# The server half of a session expires with the idle lock, even if no request comes to
# delete it (a closed lid, a closed browser); serve also clears expired sessions.
SESSION_COOKIE_AGE = ALLYMAP_IDLE_LOCK_SECONDS
ALLYMAP_SNAPSHOT_EVERY = env_int("ALLYMAP_SNAPSHOT_EVERY", 200, minimum=10)
# An opened intervention is kept in memory for the next request this many seconds after
# its last use (never longer than the idle lock; 0 keeps nothing), for at most this many
# interventions: services/kept.py, and the threat model, say what that means.
ALLYMAP_KEPT_SECONDS = env_int("ALLYMAP_KEPT_SECONDS", 60, minimum=0)
ALLYMAP_KEPT_INTERVENTIONS = env_int("ALLYMAP_KEPT_INTERVENTIONS", 8, minimum=0)
ALLYMAP_EXIT_URL = os.environ.get("ALLYMAP_EXIT_URL", "/away/")
# Where to get help now (the danger check, the safety page): New Zealand's by default;
# a deployment elsewhere sets its own (docs/configuration.md).
ALLYMAP_EMERGENCY_NUMBER = env_phone_number("ALLYMAP_EMERGENCY_NUMBER", "111")
ALLYMAP_EMERGENCY_SILENT_CODE = env_silent_code("ALLYMAP_EMERGENCY_SILENT_CODE", "55")
ALLYMAP_HELPLINES = env_helplines("ALLYMAP_HELPLINES", NZ_HELPLINES)
# A neutral tab title and icon on every page; unset lets each computer choose (personal
# mode, on the safety page).
ALLYMAP_DISGUISE: bool | None = (
    None if os.environ.get("ALLYMAP_DISGUISE", "") == "" else env_bool("ALLYMAP_DISGUISE", False)
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["stderr"], "level": "WARNING"},
    "loggers": {"allymap": {"level": "INFO"}},
}
