"""The region tree of Henan (code, name, level, parent, path) and its loader.

Bottom layer: may import jigai.core, jigai.accounts and jigai.audit only.
"""
