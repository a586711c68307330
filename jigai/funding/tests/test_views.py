"""Pages through Django's test client: every page renders for its role, out-of-scope ids answer 404,
refusals come back in Chinese and change nothing, exports download."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from jigai.accounts.tests.factories import make_user
from jigai.core.forms import wan_text
from jigai.funding import services
from jigai.funding.models import Application, AppStatus, Guideline, PublicNotice
from jigai.funding.tests import factories as f

pytestmark = pytest.mark.django_db


def login(client, user):
    client.force_login(user)
    return client


def test_public_pages_need_no_login(client, cast, guideline, ent_user):
    r = client.get(reverse("funding:public_guidelines"))
    assert r.status_code == 200 and guideline.title in r.content.decode()
    assert "技术改造示范项目" in r.content.decode()
    draft = f.guideline(actor=cast.province, publish=False)
    draft_title = "草稿指南"
    Guideline.objects.filter(pk=draft.pk).update(title=draft_title)
    assert draft_title not in client.get(reverse("funding:public_guidelines")).content.decode()
    assert client.get(reverse("funding:public_notices")).status_code == 200


def test_public_notice_masks_codes_and_contacts(client, cast, guideline, ent_user):
    app = f.to_status(f.submitted(ent_user, guideline), AppStatus.REVIEWED, cast)
    alloc = services.allocation_propose(
        actor=cast.province, guideline=guideline, item_group="3.1", method="score"
    )
    services.allocation_decide(actor=cast.province, allocation=alloc)
    notice = services.notice_publish(actor=cast.province, guideline=guideline)
    page = client.get(reverse("funding:public_notice", args=[notice.pk])).content.decode()
    uscc = ent_user.enterprise.uscc
    assert uscc not in page and services.mask_uscc(uscc) in page
    assert "13812345678" not in page and "138****5678" in page
    assert "张*" in page and app.tracking_no in page
    pdf = client.get(reverse("funding:public_notice_pdf", args=[notice.pk]))
    assert (
        pdf.status_code == 200
        and pdf["Content-Type"] == "application/pdf"
        and pdf.content.startswith(b"%PDF")
    )
    PublicNotice.objects.filter(pk=notice.pk).update(published=False)
    assert client.get(reverse("funding:public_notice", args=[notice.pk])).status_code == 404


def test_work_pages_need_login(client):
    r = client.get(reverse("funding:queue"))
    assert r.status_code == 302 and "/accounts/login/" in r["Location"]


def test_enterprise_apply_preview_draft_submit(client, cast, guideline, ent_user):
    project = f.project(ent_user.enterprise)
    login(client, ent_user)
    assert client.get(reverse("funding:apply")).status_code == 200
    params = {"guideline": guideline.pk, "item": "3.1.1", "target": f"project:{project.pk}"}
    preview = client.get(reverse("funding:apply_preview"), params).content.decode()
    assert "3,600,000 元" in preview and "三（一）1" in preview
    r = client.post(reverse("funding:apply"), params)
    app = Application.objects.get(enterprise=ent_user.enterprise)
    assert r.status_code == 302 and r["Location"] == reverse("funding:application_detail", args=[app.pk])
    detail = client.get(r["Location"]).content.decode()
    assert app.tracking_no in detail and "提交申报" in detail
    r = client.post(reverse("funding:application_submit", args=[app.pk]), follow=True)
    assert "申报已提交" in r.content.decode()
    app.refresh_from_db()
    assert app.status == AppStatus.SUBMITTED


def test_refusal_comes_back_in_chinese_and_changes_nothing(client, cast, guideline, ent_user):
    f.submitted(ent_user, guideline)
    second = f.draft(ent_user, guideline, item="3.4.1", target=f.title(ent_user.enterprise))
    login(client, ent_user)
    r = client.post(reverse("funding:application_submit", args=[second.pk]), follow=True)
    assert "一个申报年度内只能申请1个" in r.content.decode()
    second.refresh_from_db()
    assert second.status == AppStatus.DRAFT


def test_apply_form_puts_errors_on_fields(client, cast, ent_user):
    g = f.guideline(actor=cast.province, items=["3.1.1", "3.4.1"])
    stranger_project = f.project(f.enterprise("410103"))
    login(client, ent_user)
    f.project(ent_user.enterprise)
    r = client.post(
        reverse("funding:apply"),
        {"guideline": g.pk, "item": "3.1.1", "target": f"project:{stranger_project.pk}"},
    )
    assert r.status_code == 200
    assert "选择一个有效的选项" in r.content.decode() or "不属于本企业" in r.content.decode()
    assert not Application.objects.exists()


def test_reviewer_moves_and_history(client, cast, guideline, ent_user):
    app = f.submitted(ent_user, guideline)
    login(client, cast.county)
    page = client.get(reverse("funding:application_detail", args=[app.pk])).content.decode()
    assert "退回补正" in page and "审核流转" in page
    r = client.post(
        reverse("funding:application_move", args=[app.pk]), {"action": "return", "comment": ""}, follow=True
    )
    assert "须填写意见" in r.content.decode()
    client.post(reverse("funding:application_move", args=[app.pk]), {"action": "approve", "comment": "同意"})
    app.refresh_from_db()
    assert app.status == AppStatus.COUNTY_APPROVED
    page = client.get(reverse("funding:application_detail", args=[app.pk])).content.decode()
    assert "县级初审" in page and cast.county.get_full_name() in page and "同意" in page


def test_out_of_scope_ids_are_404(client, cast, guideline, ent_user):
    app = f.submitted(ent_user, guideline)
    for user in (
        make_user("county", "410103"),
        make_user("city", "410300"),
        f.enterprise_user(),
        make_user("expert"),
        make_user("bank"),
    ):
        client.force_login(user)
        # The bank's account stops at the portal's wall first (403); everyone else finds nothing (404).
        refused = 403 if user.role == "bank" else 404
        assert client.get(reverse("funding:application_detail", args=[app.pk])).status_code == refused
        assert (
            client.post(reverse("funding:application_move", args=[app.pk]), {"action": "approve"}).status_code
            == refused
        )


def test_queue_filters_sort_paginate_and_export(client, cast, guideline):
    apps = [f.submitted(f.enterprise_user(), guideline) for _ in range(3)]
    login(client, cast.county)
    r = client.get(reverse("funding:queue"), {"status": "todo", "sort": "tracking"})
    body = r.content.decode()
    assert all(a.tracking_no in body for a in apps)
    assert body.index(apps[0].tracking_no) < body.index(apps[2].tracking_no)
    r = client.get(reverse("funding:queue"), {"q": apps[1].tracking_no})
    assert apps[1].tracking_no in r.content.decode() and apps[0].tracking_no not in r.content.decode()
    x = client.get(reverse("funding:queue_export"), {"status": "todo"})
    assert x.status_code == 200 and b"".join(x.streaming_content).startswith(b"PK")
    other = make_user("county", "410305")
    client.force_login(other)
    assert apps[0].tracking_no not in client.get(reverse("funding:queue")).content.decode()


def test_queue_query_count_is_fixed(client, cast, guideline, django_assert_max_num_queries):
    for _ in range(3):
        f.submitted(f.enterprise_user(), guideline)
    login(client, cast.province)
    with django_assert_max_num_queries(12):
        client.get(reverse("funding:queue"))


def test_guideline_pages_for_the_province_only(client, cast):
    login(client, cast.province)
    now = timezone.localtime()
    data = {
        "year": now.year,
        "title": "测试指南",
        "items": ["3.1.1"],
        "opens_at": (now - dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
        "closes_at": (now + dt.timedelta(days=10)).strftime("%Y-%m-%dT%H:%M"),
        "notice_days": 5,
        "parameter_overrides": '{"3.1.1.threshold": "abc"}',
        "budget_3.1": "100",
    }
    r = client.post(reverse("funding:guideline_create"), data)
    assert r.status_code == 200 and "本轮参数调整有误" in r.content.decode()
    data["parameter_overrides"] = '{"3.1.1.threshold": "20000000"}'
    r = client.post(reverse("funding:guideline_create"), data)
    g = Guideline.objects.get(title="测试指南")
    assert r.status_code == 302 and g.parameter_overrides == {"3.1.1.threshold": "20000000"}
    client.post(reverse("funding:guideline_publish", args=[g.pk]))
    g.refresh_from_db()
    assert g.status == "published"
    assert client.get(reverse("funding:guideline_detail", args=[g.pk])).status_code == 200
    assert client.get(reverse("funding:guideline_list")).status_code == 200
    client.force_login(cast.city)
    assert client.get(reverse("funding:guideline_list")).status_code == 403
    assert client.get(reverse("funding:guideline_create")).status_code == 403


def test_expert_page_hides_content_until_declared(client, cast, guideline, ent_user):
    app = f.to_status(f.submitted(ent_user, guideline), AppStatus.FORMAL_CHECKED, cast)
    (a,) = services.expert_assign(actor=cast.province, application=app, experts=[cast.experts[0]])
    login(client, cast.experts[0])
    page = client.get(reverse("funding:expert_review", args=[a.pk])).content.decode()
    assert "利益冲突声明" in page and ent_user.enterprise.name not in page
    r = client.get(reverse("funding:application_detail", args=[app.pk]))
    assert r.status_code == 302  # to the declaration
    client.post(reverse("funding:expert_review", args=[a.pk]), {"step": "declare", "has_conflict": "no"})
    page = client.get(reverse("funding:expert_review", args=[a.pk])).content.decode()
    assert ent_user.enterprise.name in page and "提交评分" in page
    scores = {"step": "score", **f.rubric_scores(85), "comment": "建议支持"}
    client.post(reverse("funding:expert_review", args=[a.pk]), scores)
    a.refresh_from_db()
    assert a.total == 85
    client.force_login(cast.experts[1])
    assert client.get(reverse("funding:expert_review", args=[a.pk])).status_code == 404


def test_decision_notice_and_payment_pages(client, cast, guideline, ent_user):
    app = f.to_status(f.submitted(ent_user, guideline), AppStatus.REVIEWED, cast)
    login(client, cast.province)
    assert client.get(reverse("funding:decision_index")).status_code == 200
    r = client.post(
        reverse("funding:decision", args=[guideline.pk]), {"item_group": "3.1", "method": "score"}
    )
    assert r.status_code == 302
    page = client.get(reverse("funding:decision", args=[guideline.pk])).content.decode()
    assert "按此方案决策" in page and "<progress" in page
    alloc = guideline.allocations.get()
    client.post(reverse("funding:allocation_decide", args=[alloc.pk]))
    app.refresh_from_db()
    assert app.status == AppStatus.APPROVED
    r = client.post(reverse("funding:notice_list"), {"guideline": guideline.pk})
    notice = PublicNotice.objects.get()
    assert r.status_code == 302
    detail = client.get(reverse("funding:notice_detail", args=[notice.pk])).content.decode()
    assert ent_user.enterprise.uscc in detail  # the province sees the full code
    assert client.get(reverse("funding:notice_export_xlsx", args=[notice.pk])).status_code == 200
    assert client.get(reverse("funding:notice_export_pdf", args=[notice.pk])).content.startswith(b"%PDF")
    r = client.post(
        reverse("funding:notice_detail", args=[notice.pk]),
        {"step": "record", "application": app.pk, "content": "有异议", "received_on": notice.starts_on},
    )
    objection = notice.objections.get()
    assert client.get(reverse("funding:objection_detail", args=[objection.pk])).status_code == 200
    client.post(
        reverse("funding:objection_detail", args=[objection.pk]),
        {"step": "resolve", "resolution": "dismissed", "resolution_comment": "不成立"},
    )
    PublicNotice.objects.filter(pk=notice.pk).update(
        ends_on=timezone.localdate() - dt.timedelta(days=1),
        starts_on=timezone.localdate() - dt.timedelta(days=8),
    )
    client.post(reverse("funding:notice_detail", args=[notice.pk]), {"step": "finalize"})
    app.refresh_from_db()
    assert app.status == AppStatus.AWARDED
    stage = app.payment_stages.get()
    maker, checker = cast.finance
    client.force_login(maker)
    assert client.get(reverse("funding:payment_list")).status_code == 200
    client.post(
        reverse("funding:payment_enter", args=[stage.pk]),
        {
            "paid_on": timezone.localdate().isoformat(),
            "amount": wan_text(stage.planned_amount),
            "voucher_no": "V-1",
            **f.PAYEE,
        },
    )
    payment = stage.payments.get()
    r = client.post(reverse("funding:payment_confirm", args=[payment.pk]), follow=True)
    assert "录入与复核须由不同人员办理" in r.content.decode()
    client.force_login(checker)
    client.post(reverse("funding:payment_confirm", args=[payment.pk]))
    payment.refresh_from_db()
    assert payment.status == "confirmed"
    client.force_login(ent_user)
    page = client.get(reverse("funding:application_detail", args=[app.pk])).content.decode()
    assert "已复核确认" in page


@pytest.mark.parametrize(
    ("role", "url_name", "status"),
    [
        ("county", "funding:guideline_list", 403),
        ("enterprise", "funding:decision_index", 403),
        ("city", "funding:notice_list", 403),
        ("province", "funding:expert_list", 403),
        ("county", "funding:payment_list", 403),
        ("bank", "funding:queue", 403),
        ("province", "funding:queue", 200),
        ("leader", "funding:queue", 200),
        ("finance", "funding:payment_list", 200),
        ("expert", "funding:expert_list", 200),
    ],
)
def test_page_permission_matrix(client, db, role, url_name, status):
    client.force_login(make_user(role) if role != "enterprise" else f.enterprise_user())
    assert client.get(reverse(url_name)).status_code == status
