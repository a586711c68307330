"""The funding round (专项资金): guidelines, applications and their review workflow
(services/workflow.py, a jigai.core.workflow table), experts, allocation, public notices and objections,
payments, cross-checks; the screens the pages and the API render (screens.py). Models are a package by
domain (models/), imported as `jigai.funding.models`.

May import the bottom layer (core, accounts, audit, regions), jigai.policy, jigai.registry, notifications,
jobs, web and api helpers. Never imports monitoring or financing (tests/test_architecture.py).
"""
