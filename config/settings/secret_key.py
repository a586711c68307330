"""The production secret key check (issue 12): Django signs sessions, password-reset tokens and CSRF
tokens with SECRET_KEY, so a guessable key is a forged session. Production refuses to start unless the
key is at least 50 characters with at least 5 distinct ones (Django's own check, security.W009) and is
none of the values this project has ever shipped as a default, test or demo key."""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured

MIN_LENGTH = 50
MIN_DISTINCT = 5
# Keys shipped in this repository (dev.py, test.py, README examples) and placeholders people copy.
KNOWN_KEYS = frozenset(
    {
        "embedded-mode-only-not-for-production-5f1c0e",
        "test-only-secret-key-0123456789abcdef-0123456789abcdef",
        "change-me",
        "changeme",
        "secret",
        "django-insecure",
    }
)
KNOWN_MARKERS = ("django-insecure", "change-me", "changeme", "not-for-production", "test-only", "jigai-demo")


def check_secret_key(key: str | None) -> str:
    """Return the key when it is strong enough for production, else raise ImproperlyConfigured saying why."""
    how = (
        '请用 `python -c "import secrets; print(secrets.token_urlsafe(64))"` 生成一个随机密钥，'
        "设置到环境变量 JIGAI_SECRET_KEY。"
    )
    if not key:
        raise ImproperlyConfigured(f"生产环境必须设置 JIGAI_SECRET_KEY。{how}")
    if len(key) < MIN_LENGTH:
        raise ImproperlyConfigured(f"JIGAI_SECRET_KEY 太短（{len(key)} 个字符，至少 {MIN_LENGTH} 个）。{how}")
    if len(set(key)) < MIN_DISTINCT:
        raise ImproperlyConfigured(f"JIGAI_SECRET_KEY 的不同字符太少（至少 {MIN_DISTINCT} 种）。{how}")
    lowered = key.lower()
    if key in KNOWN_KEYS or any(marker in lowered for marker in KNOWN_MARKERS):
        raise ImproperlyConfigured(f"JIGAI_SECRET_KEY 是默认、测试或演示用的密钥，不能用于生产。{how}")
    return key
