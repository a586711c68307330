"""Excel imports of the funding app, run by the registry's import toolkit (registered in apps.ready)."""
