"""Production refuses to start with a weak or default secret key (issue 12): Django is started with the
production settings in a subprocess, once per case."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from config.settings.secret_key import check_secret_key

ROOT = Path(__file__).resolve().parents[3]
STRONG = "q7Vd-2xLr_9KpT3mZs8WbN4yHc6FjEa1GuRt5QoXiYlMnBvCw0"  # 50 characters, many distinct


AUDIT_KEY = "9f2c41d7a8e35b60c1d4f7a92e8b36d05c7e1f4a9b2d6e83f0a5c7d1e4b9f26a"


def start_prod(key: str | None, audit_key: str | None = AUDIT_KEY, tmp: Path | None = None):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JIGAI_", "DJANGO_"))}
    env["DJANGO_SETTINGS_MODULE"] = "config.settings.prod"
    # Production also refuses to start without the audit chain's key; given here so that each case
    # tests the secret key alone, whatever key file this checkout happens to hold.
    if audit_key is not None:
        env["JIGAI_AUDIT_KEY"] = audit_key
    if tmp is not None:
        env["JIGAI_AUDIT_KEY_FILE"] = str(tmp / "absent.key")
    if key is not None:
        env["JIGAI_SECRET_KEY"] = key
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print('started', len(settings.SECRET_KEY))"
    )
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


@pytest.mark.parametrize(
    ("key", "why"),
    [
        (None, "必须设置 JIGAI_SECRET_KEY"),
        ("", "必须设置 JIGAI_SECRET_KEY"),
        ("x", "太短"),
        (STRONG[:49], "太短"),
        ("ab" * 30, "不同字符太少"),
        ("abcd" * 15, "不同字符太少"),
        ("embedded-mode-only-not-for-production-5f1c0e" + "abcdefgh", "默认、测试或演示"),
        ("test-only-secret-key-0123456789abcdef-0123456789abcdef", "默认、测试或演示"),
        ("django-insecure-" + STRONG, "默认、测试或演示"),
    ],
)
def test_production_refuses_a_weak_or_default_key(key, why):
    result = start_prod(key)
    assert result.returncode != 0, result.stdout
    assert "ImproperlyConfigured" in result.stderr and why in result.stderr, result.stderr[-2000:]


def test_production_starts_with_a_strong_key():
    result = start_prod(STRONG)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == f"started {len(STRONG)}"


def test_production_refuses_to_start_without_the_audit_key(tmp_path):
    result = start_prod(STRONG, audit_key=None, tmp=tmp_path)
    assert result.returncode != 0, result.stdout
    assert "审计链密钥未配置" in result.stderr, result.stderr[-2000:]
    assert not (tmp_path / "absent.key").exists()


def test_the_check_itself():
    assert check_secret_key(STRONG) == STRONG
