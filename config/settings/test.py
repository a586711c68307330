"""Test mode: fast hashing, in-memory mail, no manifest needed for static files."""

from .base import *  # noqa: F403

SECRET_KEY = "test-only-secret-key-0123456789abcdef-0123456789abcdef"
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
ALLOWED_HOSTS = ["*"]
