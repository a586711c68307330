"""Supervision tickets (督办, 四（三）): a ticket to a unit with a subject, the gap or problem, a deadline,
replies and closing; opened by hand or by other apps through `services.open_ticket` (idempotent by key).
Also the 万人助万企 service visits' enterprise problems, the green-development ranking (绿色发展排行榜,
二（三）) and the typical practices (典型做法) cities submit.

May import the bottom layer (core, accounts, audit, regions, workdays), jigai.registry, notifications,
jobs, web and api helpers. Never imports funding, monitoring, financing or land.
"""
