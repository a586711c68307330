"""The monitoring services: targets and letters, windows and monthly values, computed figures, the
statistics bureau's import, the rollups."""
