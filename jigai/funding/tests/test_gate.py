"""Every read by id goes through the scope gate: missing and forbidden answer the same (issue 8)."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile

from jigai.core.errors import AccessDenied, NotFound
from jigai.funding import services
from jigai.funding.tests import factories as f

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%%EOF\n"


def test_the_objection_handlers_come_through_the_gate(cast):
    county_user = cast.county
    retired = f.make_user("province")
    retired.is_active = False
    retired.save()
    reachable = set(get_user_model().objects.restrict(cast.province, "assign"))
    assert cast.province in reachable and set(cast.experts) <= reachable
    assert retired not in reachable and county_user not in reachable and cast.city not in reachable
    for other in (cast.county, cast.city, cast.experts[0], cast.finance[0]):
        assert not get_user_model().objects.restrict(other, "assign").exists()


@pytest.mark.parametrize("service", ["update", "submit", "attach"])
def test_another_enterprises_application_is_not_found_like_a_missing_one(cast, guideline, ent_user, service):
    """The owner services lock through restrict("change"): no inline ownership test, one answer."""
    app = f.draft(ent_user, guideline)
    stranger = f.enterprise_user("410103")
    calls = {
        "update": lambda a: services.application_update_draft(actor=stranger, application=a, data={}),
        "submit": lambda a: services.application_submit(actor=stranger, application=a),
        "attach": lambda a: services.attachment_add(
            actor=stranger, application=a, name="材料", upload=SimpleUploadedFile("a.pdf", PDF)
        ),
    }
    messages = []
    for target in (app, type(app)(pk=app.pk + 1000)):
        with pytest.raises(NotFound) as err:
            calls[service](target)
        messages.append(err.value.message)
    assert messages[0] == messages[1] == "未找到该申报，或您无权查看。"


def test_deleting_asks_the_permission_then_the_gate(cast, guideline, ent_user):
    app = f.draft(ent_user, guideline)
    assert services.draft_refusal(actor=ent_user, application=app) is None
    assert isinstance(services.draft_refusal(actor=cast.province, application=app), AccessDenied)
    stranger = f.enterprise_user("410103")
    assert isinstance(services.draft_refusal(actor=stranger, application=app), NotFound)


def test_an_expert_reaches_only_their_own_live_assignment(cast, guideline, ent_user):
    app = f.to_status(f.submitted(ent_user, guideline), "formal_checked", cast)
    (mine,) = services.expert_assign(actor=cast.province, application=app, experts=[cast.experts[0]])
    messages = []
    for target in (mine, type(mine)(pk=mine.pk + 1000)):
        with pytest.raises(NotFound) as err:
            services.expert_declare(actor=cast.experts[1], assignment=target, has_conflict=False)
        messages.append(err.value.message)
    assert messages[0] == messages[1]
    services.expert_declare(actor=cast.experts[0], assignment=mine, has_conflict=False)
