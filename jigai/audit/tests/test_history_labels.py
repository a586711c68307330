"""The audit history lists show no raw codes: Chinese action names, status labels, item and stage labels,
and Chinese labels for keys that are not model fields (issue 9)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from jigai.funding import services
from jigai.funding.models import Application, AppStatus
from jigai.funding.services.payments import create_stages
from jigai.funding.tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast(db):
    return f.Cast()


@pytest.fixture
def guideline(db, cast):
    return f.guideline(actor=cast.province)


@pytest.fixture
def ent_user(db):
    return f.enterprise_user("410102")


def _history(html: str) -> str:
    return html.split('<table class="audit-history">', 1)[1].split("</table>", 1)[0]


def test_the_application_history_is_in_chinese(client, cast, guideline, ent_user):
    import jigai.funding.urls  # noqa: F401  (the funding labels register with the URLs)

    app = f.to_status(f.submitted(ent_user, guideline), AppStatus.COUNTY_APPROVED, cast)
    Application.objects.filter(pk=app.pk).update(
        status=AppStatus.AWARDED,
        granted_amount=Decimal("1000000"),
        decided_at=timezone.now() - dt.timedelta(days=2),
    )
    app.refresh_from_db()
    stage = create_stages(app)[0]
    services.payment_enter(
        actor=cast.finance[0],
        stage=stage,
        paid_on=timezone.localdate(),
        amount="1000000",
        voucher_no="V-1",
        **f.PAYEE,
    )
    client.force_login(cast.province)
    history = _history(client.get(reverse("funding:application_history", args=[app.pk])).content.decode())
    text = re.sub(r"<[^>]+>", " ", history)
    for code in ("submitted", "county_approved", "on_approval", "voucher_no", ">pay<", "3.1.1"):
        assert code not in text, code
    assert "待县级初审" in text and "待市级推荐" in text  # the statuses by their labels
    assert "批准后拨付" in text and "凭证号" in text and "拨付" in text


def test_an_insurance_item_code_is_shown_by_its_label():
    import jigai.funding.audit_labels  # noqa: F401
    from jigai.audit.models import AuditEvent
    from jigai.audit.selectors import history_changes

    e = AuditEvent(
        target_type="funding.application",
        before={"status": "draft"},
        after={"status": "submitted", "item": "3.2.1-insurance", "stage": "insurance_year_2"},
    )
    rows = {r["field"]: r for r in history_changes(e)}
    assert rows["status"]["before"] == "草稿" and rows["status"]["after"] == "待县级初审"
    assert "3.2.1-insurance" not in rows["item"]["after"] and "保" in rows["item"]["after"]
    assert rows["stage"]["label"] == "拨付阶段" and rows["stage"]["after"] == "第2保险年度保费补贴"
