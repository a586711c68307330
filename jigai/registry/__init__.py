"""The registry (企业库与项目库): enterprises, qualifications, projects and their monthly progress,
products, platforms, titles; the project-library workflow (services/projects.py, a jigai.core.workflow
table); screens (screens.py); the Excel imports and exports.

May import the bottom layer (core, accounts, audit, regions), jigai.policy (the engine), notifications,
jobs, web and api helpers. Never imports jigai.funding, monitoring or financing (tests/test_architecture.py).
"""
