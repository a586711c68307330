"""The monitoring models: indicators, targets and letters, entry windows, monthly values, rollups."""

from .choices import (
    Aggregation,
    Direction,
    GoalBasis,
    LetterStatus,
    Programme,
    ReportedBy,
    Source,
    TargetStatus,
    ValueStatus,
)
from .indicators import Indicator
from .targets import Target, TargetLetter
from .values import EntryWindow, MonthlyRollup, MonthlyValue, WindowReopening

__all__ = [
    "Aggregation",
    "Direction",
    "EntryWindow",
    "GoalBasis",
    "Indicator",
    "LetterStatus",
    "MonthlyRollup",
    "MonthlyValue",
    "Programme",
    "ReportedBy",
    "Source",
    "Target",
    "TargetLetter",
    "TargetStatus",
    "ValueStatus",
    "WindowReopening",
]

from .warnings import WarningStatus, WarningThreshold  # noqa: F401  (H10C)
