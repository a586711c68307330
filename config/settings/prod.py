"""Production mode: DEBUG off, secure cookies, HSTS, a secret key that must be given."""

from .base import *  # noqa: F403
from .base import env

DEBUG = False
SECRET_KEY = env("JIGAI_SECRET_KEY")  # required: no default in production
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
