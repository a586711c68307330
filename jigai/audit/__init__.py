"""The append-only audit trail with its keyed SM3 hash chain: `audit_record` (services.py), the history
shown on pages (selectors.py) and the command that verifies the chain.

Bottom layer: may import jigai.core and jigai.accounts only; every app imports it.
"""
