"""The supervision app's fillers for tests/test_every_url.py: the models behind its path parameters, the
pages that must answer on the demo data, and the documents the demo lacks (a reply's and a practice's
attachment)."""

from __future__ import annotations

from django.core.files.base import ContentFile

from jigai.supervision.models import GreenRanking, Practice, Ticket, TicketReply

SEGMENT_MODELS = {
    "tickets": Ticket,
    "ticket-replies": TicketReply,
    "rankings": GreenRanking,
    "green-ranking": GreenRanking,
    "practices": Practice,
}

MUST_ANSWER = {
    "anonymous": ["supervision:public_rankings", "supervision:public_ranking", "supervision:public_practice"],
    "qiye": ["supervision:visit_list", "supervision:ticket_detail"],
    "xianji": ["supervision:ticket_list", "supervision:ticket_detail", "supervision:reply_file"],
    "shiji": ["supervision:ticket_detail", "supervision:reply_file", "supervision:practice_detail"],
    "shengting": [
        "supervision:ticket_detail",
        "supervision:ranking_detail",
        "supervision:practice_file",
        "supervision:reply_file",
    ],
    "lingdao": ["supervision:ticket_detail", "supervision:ranking_detail"],
}

PDF = b"%PDF-1.4\n% jigai every-url supervision\n%%EOF\n"


def complete_demo() -> None:
    """Attachments on the first reply of each unit's tickets and on every demo practice."""
    seen: set[str] = set()
    for reply in TicketReply.objects.select_related("ticket").order_by("pk"):
        if reply.ticket.region_id in seen:
            continue
        seen.add(reply.ticket.region_id)
        reply.attachment.save("整改报告.pdf", ContentFile(PDF), save=False)
        reply.attachment_name = "整改报告.pdf"
        reply.save(update_fields=["attachment", "attachment_name"])
    for practice in Practice.objects.all():
        practice.attachment.save("典型做法.pdf", ContentFile(PDF), save=False)
        practice.attachment_name = "典型做法.pdf"
        practice.save(update_fields=["attachment", "attachment_name"])
