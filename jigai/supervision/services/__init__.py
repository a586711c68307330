"""The services of jigai.supervision. Other apps call `open_ticket` only (CONTRACT.md)."""

from .practices import practice_move, practice_submit
from .ranking import green_data_save, ranking_compute, ranking_move, rule_create
from .tickets import (
    TICKET_WORKFLOW,
    allowed_moves,
    open_ticket,
    ticket_close,
    ticket_move,
    ticket_open_manual,
    ticket_reopen,
    ticket_reply,
    ticket_return,
)
from .visits import visit_rate, visit_record

__all__ = [
    "TICKET_WORKFLOW",
    "allowed_moves",
    "green_data_save",
    "open_ticket",
    "practice_move",
    "practice_submit",
    "ranking_compute",
    "ranking_move",
    "rule_create",
    "ticket_close",
    "ticket_move",
    "ticket_open_manual",
    "ticket_reopen",
    "ticket_reply",
    "ticket_return",
    "visit_rate",
    "visit_record",
]
