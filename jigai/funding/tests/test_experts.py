"""Expert review: conflict declared before reading, scope, rubric bounds, average and spread."""

from __future__ import annotations

from decimal import Decimal

import pytest

from jigai.accounts.tests.factories import make_user
from jigai.core.errors import Conflict, DomainError, NotFound
from jigai.funding import selectors, services
from jigai.funding.models import Application, AppStatus
from jigai.funding.tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def in_review(cast, guideline, ent_user):
    return f.to_status(f.submitted(ent_user, guideline), AppStatus.FORMAL_CHECKED, cast)


def test_expert_sees_only_assigned_applications(cast, guideline, in_review):
    other = f.to_status(f.submitted(f.enterprise_user(), guideline), AppStatus.FORMAL_CHECKED, cast)
    expert = cast.experts[0]
    services.expert_assign(actor=cast.province, application=in_review, experts=[expert])
    assert list(Application.objects.restrict(expert)) == [in_review]
    assert other not in Application.objects.restrict(expert)
    assert not Application.objects.restrict(cast.experts[1]).exists()
    assert list(selectors.expert_assignments(actor=cast.experts[1])) == []


def test_content_opens_only_after_declaring_no_conflict(cast, in_review):
    expert = cast.experts[0]
    (a,) = services.expert_assign(actor=cast.province, application=in_review, experts=[expert])
    assert not selectors.may_read_application(actor=expert, application=in_review)
    with pytest.raises(Conflict, match="请先声明无利益冲突"):
        services.expert_score(actor=expert, assignment=a, scores=f.rubric_scores(80), comment="好")
    services.expert_declare(actor=expert, assignment=a, has_conflict=False)
    assert selectors.may_read_application(actor=expert, application=in_review)
    with pytest.raises(Conflict, match="不能重复声明"):
        services.expert_declare(actor=expert, assignment=a, has_conflict=True, note="亲属")


def test_declared_conflict_cannot_score(cast, in_review):
    expert = cast.experts[0]
    (a,) = services.expert_assign(actor=cast.province, application=in_review, experts=[expert])
    with pytest.raises(DomainError, match="请说明利益冲突的情况"):
        services.expert_declare(actor=expert, assignment=a, has_conflict=True, note="")
    services.expert_declare(actor=expert, assignment=a, has_conflict=True, note="曾任该企业顾问")
    assert not selectors.may_read_application(actor=expert, application=in_review)
    with pytest.raises(Conflict, match="存在利益冲突，不能评分"):
        services.expert_score(actor=expert, assignment=a, scores=f.rubric_scores(80), comment="好")


def test_another_expert_cannot_use_the_assignment(cast, in_review):
    (a,) = services.expert_assign(actor=cast.province, application=in_review, experts=[cast.experts[0]])
    with pytest.raises(NotFound):
        services.expert_declare(actor=cast.experts[1], assignment=a, has_conflict=False)


def test_only_experts_can_be_assigned_and_only_once(cast, in_review):
    with pytest.raises(DomainError, match="不是在册专家"):
        services.expert_assign(actor=cast.province, application=in_review, experts=[cast.county])
    services.expert_assign(actor=cast.province, application=in_review, experts=[cast.experts[0]])
    with pytest.raises(DomainError, match="已分配评审该申报"):
        services.expert_assign(actor=cast.province, application=in_review, experts=[cast.experts[0]])


def test_rubric_bounds_and_comment(cast, in_review):
    (a,) = services.expert_assign(actor=cast.province, application=in_review, experts=[cast.experts[0]])
    services.expert_declare(actor=cast.experts[0], assignment=a, has_conflict=False)
    bad = {**f.rubric_scores(80), "technology": "31"}
    with pytest.raises(DomainError, match="“技术先进性”得分应在 0 至 30 分之间") as err:
        services.expert_score(actor=cast.experts[0], assignment=a, scores=bad, comment="好")
    assert err.value.field == "technology"
    with pytest.raises(DomainError, match="请填写“经济效益”得分"):
        services.expert_score(actor=cast.experts[0], assignment=a, scores={"technology": "1"}, comment="好")
    with pytest.raises(DomainError, match="请填写评审意见"):
        services.expert_score(actor=cast.experts[0], assignment=a, scores=f.rubric_scores(80), comment="")
    done = services.expert_score(
        actor=cast.experts[0], assignment=a, scores=f.rubric_scores(80), comment="好"
    )
    assert done.total == Decimal("80")
    with pytest.raises(Conflict, match="评分已提交"):
        services.expert_score(actor=cast.experts[0], assignment=a, scores=f.rubric_scores(90), comment="改")


def test_average_spread_and_standard_deviation(cast, in_review):
    third = make_user("expert")
    cast.experts.append(third)
    f.score_by_experts(in_review, cast, (70, 80, 96))
    stats = services.review_stats(in_review)
    assert stats["count"] == 3
    assert stats["avg"] == Decimal("82.00")
    assert stats["spread"] == Decimal("26.00")
    assert stats["stdev"] == Decimal("10.71")  # population σ: √((144 + 4 + 196) / 3)
    in_review.refresh_from_db()
    assert in_review.score_avg == Decimal("82.00")
    tech = next(c for c in stats["criteria"] if c["key"] == "technology")
    assert tech["avg"] == Decimal("30.00") and tech["max"] == 30


def test_the_experts_to_assign_are_read_through_the_scope_gate(cast, ent_user):
    """The province's officers see the active experts to give a review to; no other actor gets any (the
    "assign" scope of accounts.User), and a disabled expert is never offered."""
    gone = make_user("expert")
    gone.is_active = False
    gone.save(update_fields=["is_active"])
    offered = list(selectors.experts_available(actor=cast.province))
    assert set(offered) == set(cast.experts) and gone not in offered
    for actor in (cast.county, cast.city, cast.experts[0], cast.finance[0], ent_user):
        assert not selectors.experts_available(actor=actor).exists()


def test_the_assign_form_offers_only_what_the_gate_lets_through(client, cast, in_review):
    from django.urls import reverse

    client.force_login(cast.province)
    page = client.get(reverse("funding:application_detail", args=[in_review.pk])).content.decode()
    assert all(f'name="experts" value="{e.pk}"' in page for e in cast.experts)
