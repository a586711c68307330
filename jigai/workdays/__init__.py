"""The working-day calendar: public holidays and 调休 working days as data (seeded from the
chinese-calendar package, editable by the system administrator for years it does not cover); notice
periods, review deadlines and entry windows count working days by it.

Bottom layer: may import core, accounts and audit only.
"""
