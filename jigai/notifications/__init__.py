"""In-app messages and their e-mails (sent only after commit).

May import the bottom layer (core, accounts, audit, regions) only; every business app imports it.
"""
