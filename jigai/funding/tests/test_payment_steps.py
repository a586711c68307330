"""Issue 9 on the payment pages: every payment carries the payee's account (required, prefilled from what
the system holds), and a step that is not yet possible is a disabled button with the reason — the same
reason the service answers when the POST is sent anyway (services.payments.enter_refusal/confirm_refusal)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from jigai.audit.models import AuditEvent
from jigai.core.errors import DomainError
from jigai.funding import services
from jigai.funding.models import Match, Payment, ProactiveAward
from jigai.funding.tests import factories as f
from jigai.funding.tests.test_payments import awarded

pytestmark = pytest.mark.django_db


def _body(stage, **kw):
    body = {
        "paid_on": timezone.localdate().isoformat(),
        "amount": str(stage.planned_amount / 10000),  # the form takes 万元
        "voucher_no": "V-1",
        **f.PAYEE,
    }
    body.update(kw)
    return body


def _button(html: str, testid: str) -> str:
    """The <button> or <a> carrying data-testid=`testid` (the whole opening tag)."""
    found = re.search(rf'<(?:button|a)\b[^>]*data-testid="{testid}"[^>]*>', html)
    assert found, f"no element {testid}"
    return found.group(0)


def _reason(html: str, element: str) -> str:
    """The visible text the disabled element points at through aria-describedby."""
    ref = re.search(r'aria-describedby="([^"]+)"', element)
    assert ref, element
    text = re.search(rf'id="{ref.group(1)}"[^>]*>([^<]*)<', html)
    assert text, ref.group(1)
    return text.group(1).strip()


# ---------------------------------------------------------------------------------------------- the account


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ("payee_name", "请填写收款单位。"),
        ("payee_bank", "请填写开户银行。"),
        ("payee_account", "请填写银行账号。"),
    ],
)
def test_a_payment_without_the_account_is_refused_on_the_field(cast, guideline, ent_user, missing, message):
    stage = awarded(f.submitted(ent_user, guideline), "3000000").payment_stages.get()
    audits = AuditEvent.objects.count()
    data = {**f.PAYEE, missing: "  "}
    with pytest.raises(DomainError) as caught:
        services.payment_enter(
            actor=cast.finance[0],
            stage=stage,
            paid_on=timezone.localdate(),
            amount="3000000",
            voucher_no="V-1",
            **data,
        )
    assert caught.value.message == message and caught.value.field == missing
    assert not Payment.objects.exists() and AuditEvent.objects.count() == audits
    # the page says the same beside the field and stores nothing
    from django.test import Client

    client = Client()
    client.force_login(cast.finance[0])
    r = client.post(reverse("funding:payment_enter", args=[stage.pk]), _body(stage, **{missing: ""}))
    html = r.content.decode()
    assert r.status_code == 200 and f'<small class="field-error" role="alert">{message}</small>' in html
    assert html.index(message) > html.index(f'name="{missing}"')
    assert not Payment.objects.exists() and AuditEvent.objects.count() == audits


def test_the_form_is_prefilled_from_the_account_given_for_proactive_award(client, cast, guideline, ent_user):
    app = awarded(f.submitted(ent_user, guideline), "3000000")
    stage = app.payment_stages.get()
    match = Match.objects.create(
        guideline=guideline,
        enterprise=ent_user.enterprise,
        item=app.item,
        object_kind="project",
        object_id=1,
        object_label="改造项目",
        status="eligible",
        proactive=True,
        evaluated_at=timezone.now(),
    )
    ProactiveAward.objects.create(
        match=match,
        payee_name="华创智能（收款）",
        bank_name="中国建设银行郑州金水支行",
        bank_account="6217000011112222",
    )
    client.force_login(cast.finance[0])
    html = client.get(reverse("funding:payment_enter", args=[stage.pk])).content.decode()
    assert 'value="华创智能（收款）"' in html
    assert 'value="中国建设银行郑州金水支行"' in html and 'value="6217000011112222"' in html


def test_without_an_account_held_the_form_gives_the_enterprise_name_only(client, cast, guideline, ent_user):
    stage = awarded(f.submitted(ent_user, guideline), "3000000").payment_stages.get()
    client.force_login(cast.finance[0])
    html = client.get(reverse("funding:payment_enter", args=[stage.pk])).content.decode()
    assert f'value="{ent_user.enterprise.name}"' in html
    account = re.search(r'<input[^>]*name="payee_account"[^>]*>', html).group(0)
    assert " required" in account and "value=" not in account  # required, and no account invented


# -------------------------------------------------------------------------------------------- disabled steps


def test_confirm_is_disabled_for_the_maker_with_the_reason_and_refused_if_posted(
    client, cast, guideline, ent_user
):
    stage = awarded(f.submitted(ent_user, guideline), "3000000").payment_stages.get()
    maker, checker = cast.finance
    p = services.payment_enter(
        actor=maker, stage=stage, paid_on=timezone.localdate(), amount="3000000", voucher_no="V-1", **f.PAYEE
    )
    client.force_login(maker)
    html = client.get(reverse("funding:payment_list")).content.decode()
    button = _button(html, f"confirm-{p.pk}")
    assert " disabled" in button
    assert _reason(html, button) == "录入与复核须由不同人员办理：您不能复核自己录入的拨付。"
    r = client.post(reverse("funding:payment_confirm", args=[p.pk]), follow=True)
    assert "录入与复核须由不同人员办理" in r.content.decode()
    p.refresh_from_db()
    assert p.status == "entered" and p.confirmed_by is None
    client.force_login(checker)
    html = client.get(reverse("funding:payment_list")).content.decode()
    button = _button(html, f"confirm-{p.pk}")
    assert " disabled" not in button and 'type="submit"' in button


def test_a_later_stage_waits_for_the_earlier_one(client, cast, guideline, ent_user):
    product = f.insured_product(ent_user.enterprise)
    app = awarded(f.submitted(ent_user, guideline, item="3.2.1-insurance", target=product), "1240000")
    first, second, _third = app.payment_stages.order_by("sequence")
    maker, checker = cast.finance
    reason = "上一阶段（第1保险年度保费补贴）尚未复核拨付，不能先拨付本阶段。"
    client.force_login(maker)
    html = client.get(reverse("funding:payment_list")).content.decode()
    assert " disabled" not in _button(html, f"enter-{first.pk}")
    button = _button(html, f"enter-{second.pk}")
    assert " disabled" in button and _reason(html, button) == reason
    # the entry page says it too, and the service refuses the POST sent anyway
    url = reverse("funding:payment_enter", args=[second.pk])
    html = client.get(url).content.decode()
    button = _button(html, "enter")
    assert " disabled" in button and _reason(html, button) == reason
    audits = AuditEvent.objects.count()
    r = client.post(url, _body(second))
    assert r.status_code == 200 and reason in r.content.decode()
    assert not Payment.objects.exists() and AuditEvent.objects.count() == audits
    # the first stage entered: it waits for the checker, and so does the second
    p = services.payment_enter(
        actor=maker,
        stage=first,
        paid_on=timezone.localdate(),
        amount=first.planned_amount,
        voucher_no="V-1",
        **f.PAYEE,
    )
    html = client.get(reverse("funding:payment_list")).content.decode()
    button = _button(html, f"enter-{first.pk}")
    assert " disabled" in button and _reason(html, button) == "该阶段已有待复核的拨付记录，请先复核或作废。"
    assert " disabled" in _button(html, f"enter-{second.pk}")
    services.payment_confirm(actor=checker, payment=p)
    html = client.get(reverse("funding:payment_list")).content.decode()
    assert " disabled" not in _button(html, f"enter-{second.pk}")
    html = client.get(url).content.decode()
    assert " disabled" not in _button(html, "enter") and 'id="enter-why"' not in html
    r = client.post(url, _body(second))
    assert r.status_code == 302 and second.payments.get().status == "entered"


def test_the_after_acceptance_stage_waits_for_the_acceptance(client, cast, guideline, ent_user):
    platform = f.internet_platform(ent_user.enterprise, status="cultivation")
    app = awarded(f.submitted(ent_user, guideline, item="3.3.2", target=platform), "5000000")
    listing, acceptance = app.payment_stages.order_by("sequence")
    client.force_login(cast.finance[0])
    html = client.get(reverse("funding:payment_list")).content.decode()
    button = _button(html, f"enter-{acceptance.pk}")
    assert _reason(html, button) == "平台尚未通过验收，不能拨付验收后资金（三（三）2）。"
    assert " disabled" not in _button(html, f"enter-{listing.pk}")
