"""Production mode: DEBUG off, secure cookies, HSTS, a secret key that must be given."""

from .base import *  # noqa: F403
from .base import env
from .secret_key import check_secret_key

DEBUG = False
# Required, and strong: a missing, short, repetitive or known default/test/demo key stops the start-up
# (ImproperlyConfigured) instead of Django's warning (issue 12).
SECRET_KEY = check_secret_key(env("JIGAI_SECRET_KEY", default=""))
SECURE_SSL_REDIRECT = env.bool("JIGAI_SSL_REDIRECT", default=True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# The audit chain's key (HMAC-SM3) lives outside the database: the environment or a file only the app
# reads. Production never creates one by itself and refuses to start without it (jigai/audit/apps.py).
JIGAI_AUDIT_KEY = env("JIGAI_AUDIT_KEY", default="")
JIGAI_AUDIT_KEY_FILE = env("JIGAI_AUDIT_KEY_FILE", default="")
JIGAI_AUDIT_KEY_AUTOCREATE = False
JIGAI_AUDIT_ANCHOR_DIR = env("JIGAI_AUDIT_ANCHOR_DIR", default="")
