"""The shell of the site: base templates, static files, shared template tags, the calculator pages and
the PDF helper.

May import the bottom layer, jigai.policy and jigai.registry; the business apps extend its templates.
"""
