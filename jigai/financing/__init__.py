"""Financing support (四（二）): the whitelist (白名单) of technical-transformation projects for banks,
guarantee companies and funds, the enterprise's consent to what each institution may see, the financial
institutions and their users (the bank portal), matchmaking events (融资对接洽谈) and their outcomes.

May import the bottom layer (core, accounts, audit, regions, workdays), jigai.registry, jigai.funding,
notifications, jobs, web and api helpers. Never imports monitoring or land.
"""
