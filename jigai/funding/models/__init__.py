"""Funding (专项资金申报) models, a package by domain; import them from here (`jigai.funding.models`).

- choices.py — the choices, constants and money field settings all of them share
- guidelines.py — the year's guideline and its budget;  applications.py — applications, review events,
  attachments;  reviews.py — expert assignments and scores;  allocation.py — budget allocation;
  notices.py — public notice, entries, objections;  payments.py — payment stages and payments;
  crosschecks.py — the registers and checks across applications (other funds, claim fingerprints);
  simulator.py — the guideline what-if scenarios and their runs

Rules that must hold even when two requests race are database constraints, not only service checks:
granted ≤ frozen ceiling; one counted application per enterprise per year (policy 三, last paragraph);
one confirmed payment per stage; the confirmer of a payment is not the person who entered it.
"""

from __future__ import annotations

from ._scope import (
    _application_scope,
    _via_application,
)
from .allocation import (
    Allocation,
    AllocationLine,
)
from .applications import (
    Application,
    Attachment,
    ReviewEvent,
)
from .choices import (
    DECIDED_STATUSES,
    MONEY,
    NOT_COUNTED_STATUSES,
    STAGE_NAMES,
    USER,
    Action,
    AllocationMethod,
    AllocationStatus,
    AppStatus,
    Conflict,
    GuidelineStatus,
    ItemGroup,
    Level,
    ObjectionResolution,
    ObjectionStatus,
    PaymentStatus,
    item_group_of,
    stage_label,
)
from .crosschecks import (
    ClaimFingerprint,
    FingerprintFlag,
    FingerprintKind,
    FlagStatus,
    OtherFundAward,
)
from .guidelines import (
    Guideline,
    GuidelineBudget,
)
from .matching import Match, MatchPreference, MatchStatus, ProactiveAward, ProactiveStatus
from .notices import (
    NoticeEntry,
    Objection,
    PublicNotice,
)
from .payments import (
    Payment,
    PaymentStage,
)
from .reviews import (
    ExpertAssignment,
)
from .simulator import Population, RunStatus, Scenario, ScenarioRun

__all__ = [
    "DECIDED_STATUSES",
    "MONEY",
    "NOT_COUNTED_STATUSES",
    "STAGE_NAMES",
    "USER",
    "Action",
    "Allocation",
    "AllocationLine",
    "AllocationMethod",
    "AllocationStatus",
    "AppStatus",
    "Application",
    "Attachment",
    "ClaimFingerprint",
    "Conflict",
    "ExpertAssignment",
    "FingerprintFlag",
    "FingerprintKind",
    "FlagStatus",
    "Guideline",
    "GuidelineBudget",
    "GuidelineStatus",
    "ItemGroup",
    "Level",
    "Match",
    "MatchPreference",
    "MatchStatus",
    "NoticeEntry",
    "Objection",
    "ObjectionResolution",
    "ObjectionStatus",
    "OtherFundAward",
    "Payment",
    "PaymentStage",
    "PaymentStatus",
    "Population",
    "ProactiveAward",
    "ProactiveStatus",
    "PublicNotice",
    "ReviewEvent",
    "RunStatus",
    "Scenario",
    "ScenarioRun",
    "_application_scope",
    "_via_application",
    "item_group_of",
    "stage_label",
]
