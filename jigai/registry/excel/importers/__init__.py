"""The four registry imports: enterprises, qualifications (without certificate files), projects and monthly
progress. The checks mirror the registry services (jigai.registry.services) row by row, with every lookup
fetched once into a dict (no query per row), so 100,000 rows import in one request.

- lookups.py — what they share (each row's enterprise by credit code, duplicates in the file, money)
- enterprises.py, qualifications.py, projects.py, progress.py — one importer each
- IMPORTERS (here) — the importers by kind; other apps register theirs into it (funding, 资质名单).

They import the registry's models, services and validators and the excel base, nothing above the registry.
"""

from __future__ import annotations

from ..base import Importer
from .enterprises import EnterpriseImporter
from .lookups import EnterpriseInfo, _enterprises
from .progress import ProgressImporter
from .projects import ProjectImporter
from .qualifications import QualificationImporter

IMPORTERS: dict[str, Importer] = {
    i.kind: i for i in (EnterpriseImporter(), QualificationImporter(), ProjectImporter(), ProgressImporter())
}

__all__ = [
    "IMPORTERS",
    "EnterpriseImporter",
    "EnterpriseInfo",
    "Importer",
    "ProgressImporter",
    "ProjectImporter",
    "QualificationImporter",
    "_enterprises",
]
