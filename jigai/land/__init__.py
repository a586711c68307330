"""Land support (四（二）): priority for industrial land, the zero-new-land (零增地) projects tracked
through build-first-check-later (先建后验), each city's dated land-premium and municipal-fee rates and the
amounts waived on added floor area.

May import the bottom layer (core, accounts, audit, regions, workdays), jigai.registry, notifications,
jobs, web and api helpers. Never imports funding, monitoring or financing.
"""
