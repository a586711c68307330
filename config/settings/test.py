"""Test mode: fast hashing, in-memory mail, no manifest needed for static files."""

from .base import *  # noqa: F403
from .base import DATABASES, env

SECRET_KEY = "test-only-secret-key-0123456789abcdef-0123456789abcdef"
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
ALLOWED_HOSTS = ["*"]
# Tasks run in the test's own thread when the transaction commits (immediate backend): the same task
# functions, arguments and Job rows as with the worker, without a process to wait for. Tests that exercise
# the database queue itself (jigai/jobs/tests, tests/e2e/test_jobs.py) switch to the database backend and
# run its worker in-process.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# Parallel runs against one PostgreSQL server can each name their own test database.
_test_db_name = env("JIGAI_TEST_DB_NAME", default="")
if _test_db_name:
    DATABASES["default"]["TEST"] = {"NAME": _test_db_name}

# WhiteNoise would rescan STATIC_ROOT for every test client; serve from the finders instead.
WHITENOISE_AUTOREFRESH = True

# The suite's users share ids across tests (rolled-back transactions reuse them) and the cache outlives a
# test: the per-user upload and import limits are lifted here and tested with their own settings.
JIGAI_UPLOAD_RATE = "100000/600"
JIGAI_IMPORT_RATE = "100000/600"

# The audit chain's key (HMAC-SM3) and a folder of anchors of this test process's own.
JIGAI_AUDIT_KEY = "test-only-audit-chain-key-0123456789abcdef0123456789abcdef"
import tempfile as _tempfile  # noqa: E402

JIGAI_AUDIT_ANCHOR_DIR = _tempfile.mkdtemp(prefix="jigai-test-anchors-")
