"""Issue 9 on the round's pages: 发布指南, 按此方案决策 and 发布公示 are disabled with the reason while
not yet possible — the reason the service gives (services.guidelines.publish_refusal,
allocation.decide_refusal, notices.publish_refusal) — enabled when possible, and the service refuses the
POST sent anyway."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from django.urls import reverse

from jigai.funding import services
from jigai.funding.models import (
    Allocation,
    AllocationStatus,
    AppStatus,
    GuidelineBudget,
    GuidelineStatus,
    ItemGroup,
)
from jigai.funding.tests import factories as f
from jigai.funding.tests.test_payment_steps import _button, _reason

pytestmark = pytest.mark.django_db


def test_publish_waits_for_the_budgets(client, cast):
    g = f.guideline(actor=cast.province, publish=False, budgets={}, items=["3.1.1"])
    client.force_login(cast.province)
    url = reverse("funding:guideline_detail", args=[g.pk])
    html = client.get(url).content.decode()
    button = _button(html, "publish")
    assert (
        " disabled" in button and _reason(html, button) == f"请先设置预算：{ItemGroup.TRANSFORMATION.label}。"
    )
    client.post(reverse("funding:guideline_publish", args=[g.pk]))
    g.refresh_from_db()
    assert g.status == GuidelineStatus.DRAFT
    GuidelineBudget.objects.create(guideline=g, item_group=ItemGroup.TRANSFORMATION, amount=D("1000000"))
    html = client.get(url).content.decode()
    button = _button(html, "publish")
    assert " disabled" not in button and 'id="publish-why"' not in html
    client.post(reverse("funding:guideline_publish", args=[g.pk]))
    g.refresh_from_db()
    assert g.status == GuidelineStatus.PUBLISHED


def test_decide_is_disabled_when_the_proposal_is_stale(client, cast, guideline):
    app = f.to_status(f.submitted(f.enterprise_user(), guideline), AppStatus.REVIEWED, cast)
    alloc = services.allocation_propose(
        actor=cast.province, guideline=guideline, item_group=app.item_group, method="score"
    )
    client.force_login(cast.province)
    url = reverse("funding:decision", args=[guideline.pk])
    html = client.get(url).content.decode()
    assert " disabled" not in _button(html, f"decide-{alloc.pk}")
    # the application leaves the decision queue (returned for correction): the proposal is stale
    type(app).objects.filter(pk=app.pk).update(status=AppStatus.RETURNED)
    html = client.get(url).content.decode()
    button = _button(html, f"decide-{alloc.pk}")
    reason = f"{app.tracking_no} 已不在待决策状态，请重新拟定分配方案。"
    assert " disabled" in button and _reason(html, button) == reason
    r = client.post(reverse("funding:allocation_decide", args=[alloc.pk]), follow=True)
    assert reason in r.content.decode()
    assert Allocation.objects.get(pk=alloc.pk).status == AllocationStatus.PROPOSED


def test_notice_publish_waits_for_a_proposed_award(client, cast, guideline):
    client.force_login(cast.province)
    url = reverse("funding:notice_list")
    html = client.get(url).content.decode()
    button = _button(html, "notice-publish")
    assert " disabled" in button and _reason(html, button) == "没有待公示的拟支持项目。"
    r = client.post(url, {"guideline": guideline.pk, "title": "", "starts_on": ""})
    assert "没有待公示的拟支持项目。" in r.content.decode()
    app = f.to_status(f.submitted(f.enterprise_user(), guideline), AppStatus.REVIEWED, cast)
    alloc = services.allocation_propose(
        actor=cast.province, guideline=guideline, item_group=app.item_group, method="score"
    )
    services.allocation_decide(actor=cast.province, allocation=alloc)
    html = client.get(url).content.decode()
    assert " disabled" not in _button(html, "notice-publish") and 'id="publish-why"' not in html
