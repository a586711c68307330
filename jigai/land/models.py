"""Models of this app."""

from django.db import models  # noqa: F401
