"""The review workflow: legal, illegal and repeated moves; return for correction voids the approvals."""

from __future__ import annotations

import pytest
from django.http import Http404

from jigai.accounts.tests.factories import make_user
from jigai.audit.models import AuditEvent
from jigai.core.errors import AccessDenied, Conflict, DomainError, NotFound
from jigai.funding import services
from jigai.funding.models import AppStatus, ExpertAssignment, ReviewEvent
from jigai.funding.services.workflow import WORKFLOW
from jigai.funding.tests import factories as f
from jigai.notifications.models import Notification

pytestmark = pytest.mark.django_db


def approve(actor, app, **kw):
    return services.application_transition(
        actor=actor, application=app, action="approve", comment="同意", **kw
    )


def test_every_level_in_order(cast, guideline, ent_user):
    app = f.submitted(ent_user, guideline)
    app = approve(cast.county, app)
    assert app.status == AppStatus.COUNTY_APPROVED
    assert Notification.objects.filter(
        recipient=cast.city, kind="funding.application_county_approved"
    ).exists()
    app = approve(cast.city, app)
    assert app.status == AppStatus.CITY_RECOMMENDED and app.city_rank == 1
    assert Notification.objects.filter(
        recipient=cast.province, kind="funding.application_recommended"
    ).exists()
    app = approve(cast.province, app)
    assert app.status == AppStatus.FORMAL_CHECKED
    f.score_by_experts(app, cast, (80, 90))
    app = approve(cast.province, app)
    assert app.status == AppStatus.REVIEWED
    levels = list(ReviewEvent.objects.filter(application=app).values_list("level", "actor", "to_status"))
    assert levels == [
        ("enterprise", ent_user.pk, "submitted"),
        ("county", cast.county.pk, "county_approved"),
        ("city", cast.city.pk, "city_recommended"),
        ("province_formal", cast.province.pk, "formal_checked"),
        ("expert", cast.province.pk, "reviewed"),
    ]
    assert AuditEvent.objects.filter(target_id=str(app.pk), target_type="funding.application").count() >= 5


def test_a_level_cannot_act_out_of_turn(cast, guideline, ent_user):
    app = f.submitted(ent_user, guideline)
    with pytest.raises(Conflict, match="您不能执行“通过”操作"):
        approve(cast.city, app)
    with pytest.raises(Conflict):
        approve(cast.province, app)
    app.refresh_from_db()
    assert app.status == AppStatus.SUBMITTED


def test_repeated_move_is_refused(cast, guideline, ent_user):
    app = f.submitted(ent_user, guideline)
    approve(cast.county, app)
    with pytest.raises(Conflict, match="可能已被处理"):
        approve(cast.county, app)
    assert ReviewEvent.objects.filter(application=app, action="approve").count() == 1


def test_other_region_gets_not_found(cast, guideline, ent_user):
    app = f.submitted(ent_user, guideline)
    other_county = make_user("county", "410103")
    with pytest.raises(NotFound):
        approve(other_county, app)
    other_city = make_user("city", "410300")
    with pytest.raises((NotFound, Http404)):
        approve(other_city, app)


def test_roles_without_the_permission_are_refused(cast, guideline, ent_user):
    app = f.submitted(ent_user, guideline)
    for role in ("leader", "expert", "bank"):
        with pytest.raises((NotFound, AccessDenied)):
            approve(make_user(role), app)


def test_return_and_reject_need_a_comment(cast, guideline, ent_user):
    app = f.submitted(ent_user, guideline)
    for action in ("return", "reject"):
        with pytest.raises(DomainError, match="须填写意见") as err:
            services.application_transition(actor=cast.county, application=app, action=action, comment=" ")
        assert err.value.field == "comment"


def test_special_actions_go_through_their_own_service(cast, guideline, ent_user):
    app = f.submitted(ent_user, guideline)
    with pytest.raises(DomainError, match="资金分配"):
        services.application_transition(actor=cast.province, application=app, action="decide")


def test_return_for_correction_voids_the_approvals(cast, guideline, ent_user):
    app = f.to_status(f.submitted(ent_user, guideline), AppStatus.FORMAL_CHECKED, cast)
    services.expert_assign(actor=cast.province, application=app, experts=cast.experts[:1])
    app = services.application_transition(
        actor=cast.province, application=app, action="return", comment="请补充设备采购合同。"
    )
    assert app.status == AppStatus.RETURNED and app.last_comment == "请补充设备采购合同。"
    approvals = ReviewEvent.objects.filter(application=app, action="approve")
    assert approvals.count() == 3 and all(e.voided for e in approvals)
    assert not ExpertAssignment.objects.filter(application=app, voided=False).exists()
    assert app.city_rank is None
    assert Notification.objects.filter(recipient=ent_user, kind="funding.application_returned").exists()
    # The enterprise corrects and resubmits: the county must check it again, the city cannot skip ahead.
    services.application_update_draft(actor=ent_user, application=app, data={"summary": "已补充合同"})
    app = services.application_submit(actor=ent_user, application=app)
    assert app.status == AppStatus.SUBMITTED
    with pytest.raises(Conflict):
        approve(cast.city, app)
    app = approve(cast.county, app)
    assert app.status == AppStatus.COUNTY_APPROVED
    live = ReviewEvent.objects.filter(application=app, action="approve", voided=False)
    assert list(live.values_list("level", flat=True)) == ["county"]


def test_reject_ends_it_and_frees_the_year(cast, guideline, ent_user):
    app = f.submitted(ent_user, guideline)
    app = services.application_transition(
        actor=cast.county, application=app, action="reject", comment="不属于技改项目"
    )
    assert app.status == AppStatus.REJECTED
    with pytest.raises(Conflict):
        approve(cast.county, app)
    assert Notification.objects.filter(recipient=ent_user, kind="funding.application_rejected").exists()
    assert (
        f.submitted(ent_user, guideline, item="3.4.1", target=f.title(ent_user.enterprise)).status
        == "submitted"
    )


def test_enterprise_can_withdraw_before_review_only(cast, guideline, ent_user):
    app = f.submitted(ent_user, guideline)
    approve(cast.county, app)
    with pytest.raises(Conflict):
        services.application_transition(actor=ent_user, application=app, action="withdraw")
    other = f.enterprise_user()
    app2 = f.submitted(other, guideline)
    app2 = services.application_transition(actor=other, application=app2, action="withdraw")
    assert app2.status == AppStatus.WITHDRAWN


def test_city_ranks_what_it_recommends(cast, guideline):
    users = [f.enterprise_user("410102"), f.enterprise_user("410105"), f.enterprise_user("410102")]
    apps = [approve(cast.county, f.submitted(u, guideline)) for u in users[:1]]
    county2 = make_user("county", "410105")
    apps.append(approve(county2, f.submitted(users[1], guideline)))
    apps.append(approve(cast.county, f.submitted(users[2], guideline)))
    a = approve(cast.city, apps[0])
    b = approve(cast.city, apps[1], rank=5)
    assert (a.city_rank, b.city_rank) == (1, 5)
    with pytest.raises(DomainError, match="推荐排序 5 已用于"):
        approve(cast.city, apps[2], rank=5)
    assert approve(cast.city, apps[2]).city_rank == 6


def test_expert_review_closes_only_when_enough_experts_scored(cast, guideline, ent_user):
    app = f.to_status(f.submitted(ent_user, guideline), AppStatus.FORMAL_CHECKED, cast)
    with pytest.raises(DomainError, match="至少需要 2 位专家完成评分"):
        approve(cast.province, app)
    assignments = services.expert_assign(actor=cast.province, application=app, experts=cast.experts)
    services.expert_declare(actor=cast.experts[0], assignment=assignments[0], has_conflict=False)
    services.expert_score(
        actor=cast.experts[0], assignment=assignments[0], scores=f.rubric_scores(70), comment="可"
    )
    with pytest.raises(DomainError, match="还有 1 位专家未提交评分"):
        approve(cast.province, app)


def test_the_table_names_only_known_states_and_roles():
    from jigai.accounts.roles import Role

    for (state, role), moves in WORKFLOW.items():
        assert state in AppStatus.values and role in Role.values
        assert all(to in AppStatus.values for to in moves.values())
