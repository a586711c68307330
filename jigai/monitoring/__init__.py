"""Targets and monthly monitoring (一（二）, 二, 四（三）): indicators as data, yearly targets per city and
county with the target responsibility letters (目标责任书), monthly entry windows and values, the statistics
bureau's import, corrections, reconciliation (应统尽统), precomputed monthly rollups, dashboards, early
warning and the year-end review.

May import the bottom layer (core, accounts, audit, regions, workdays), jigai.policy, jigai.registry,
jigai.funding, jigai.supervision, jigai.financing, jigai.land, notifications, jobs, web and api helpers.
Nothing imports monitoring (it is the top of the stack; tests/test_architecture.py).
"""
