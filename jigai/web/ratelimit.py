"""Uploads and imports are rate-limited per user (issue 12): a signed-in account that sends more files, or
starts more imports, than a person at a desk would is answered 429 until the window passes. Counts live in
the cache (Redis in production, so every web process shares them).

Settings: JIGAI_UPLOAD_RATE and JIGAI_IMPORT_RATE, "count/seconds" (defaults 60/600 and 20/600).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

DEFAULTS = {"upload": "60/600", "import": "20/600"}


def _rate(bucket: str) -> tuple[int, int]:
    text = getattr(settings, f"JIGAI_{bucket.upper()}_RATE", DEFAULTS[bucket])
    count, seconds = str(text).split("/")
    return int(count), int(seconds)


def _bucket(request: HttpRequest) -> str | None:
    if request.method != "POST":
        return None
    match = getattr(request, "resolver_match", None)
    name = (match.url_name or "") if match else ""
    if "import" in name:
        return "import"
    if request.content_type == "multipart/form-data" and request.FILES:
        return "upload"
    return None


def hit(bucket: str, user_id: int) -> tuple[bool, int]:
    """Count one request; (allowed, seconds until the window ends)."""
    limit, window = _rate(bucket)
    now = int(time.time())
    slot = now // window
    key = f"jigai:rl:{bucket}:{user_id}:{slot}"
    if cache.add(key, 1, timeout=window + 5):
        count = 1
    else:
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, timeout=window + 5)
            count = 1
    return count <= limit, (slot + 1) * window - now


class UploadRateLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view: Any, args: Any, kwargs: Any) -> HttpResponse | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        bucket = _bucket(request)
        if bucket is None:
            return None
        allowed, wait = hit(bucket, user.pk)
        if allowed:
            return None
        minutes = max(1, (wait + 59) // 60)
        what = "导入" if bucket == "import" else "上传文件"
        message = f"{what}过于频繁，请约 {minutes} 分钟后再试。"
        if request.path.startswith("/api/"):
            response: HttpResponse = JsonResponse({"detail": message, "code": "rate_limited"}, status=429)
        else:
            response = render(request, "429.html", {"reason": message}, status=429)
        response["Retry-After"] = str(wait)
        return response
