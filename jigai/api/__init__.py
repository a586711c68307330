"""The REST API under /api/v1/ (django-ninja): authentication, the one translation of domain errors to
HTTP, shared input/output types, and the routers the apps provide.

May import the bottom layer, jigai.policy and the apps whose routers it mounts (registry, funding).
"""
