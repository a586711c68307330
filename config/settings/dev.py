"""Embedded mode (`make run`): SQLite, plain http on loopback, works out of the box."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("JIGAI_DEBUG", default=False)
SECRET_KEY = env("JIGAI_SECRET_KEY", default="embedded-mode-only-not-for-production-5f1c0e")
