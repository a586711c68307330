from decimal import Decimal

import pytest

from jigai.monitoring import selectors
from jigai.monitoring.models import MonthlyRollup, MonthlyValue, Source, Target, TargetStatus
from jigai.monitoring.services.rollups import refresh_all_rollups, refresh_rollups

pytestmark = pytest.mark.django_db


def _v(ind, code, region, year, month, value):
    MonthlyValue.objects.create(
        indicator=ind(code),
        region_id=region,
        year=year,
        month=month,
        value=Decimal(value),
        source=Source.IMPORTED,
    )


def _row(code, region, year, month):
    return MonthlyRollup.objects.get(indicator__code=code, region_id=region, year=year, month=month)


def test_sum_ratio_growth_and_completion_up_the_tree(ind):
    for region, ti, ii in (("410102", "300", "1000"), ("410103", "100", "1000"), ("410305", "200", "500")):
        _v(ind, "ti_investment", region, 2026, 2, ti)
        _v(ind, "industrial_investment", region, 2026, 2, ii)
    _v(ind, "ti_investment", "410102", 2025, 2, "200")
    _v(ind, "ti_investment", "410103", 2025, 2, "200")
    Target.objects.create(
        year=2026,
        indicator=ind("ti_investment"),
        region_id="410100",
        value=Decimal(2400),
        status=TargetStatus.CONFIRMED,
    )
    refresh_all_rollups([2025, 2026], warnings=False)
    zz = _row("ti_investment", "410100", 2026, 2)
    assert (
        zz.actual == 400 and zz.target == 2400 and zz.expected == 400 and zz.completion == Decimal("0.1667")
    )
    assert zz.last_year_actual == 400 and zz.yoy_growth == 0
    assert _row("ti_investment", "410000", 2026, 2).actual == 600
    assert _row("ti_investment", "410100", 2026, 2).share == Decimal("66.6667")
    assert _row("ti_investment_share", "410100", 2026, 2).actual == 20  # 400 / 2000
    assert _row("ti_investment_share", "410000", 2026, 2).actual == Decimal("24")  # 600 / 2500
    assert _row("ti_investment_growth", "410102", 2026, 2).actual == 50  # 300 over 200
    # months without figures: the city keeps its row (for the target), a county has none
    assert _row("ti_investment", "410100", 2026, 5).actual is None
    assert not MonthlyRollup.objects.filter(
        indicator__code="ti_investment", region_id="410102", month=5
    ).exists()


def test_index_is_the_own_level_else_the_mean_of_the_children(ind):
    _v(ind, "informatization_index", "410100", 2026, 1, "60")
    _v(ind, "informatization_index", "410300", 2026, 1, "56")
    refresh_rollups(indicator_codes=["informatization_index"], year=2026, warnings=False)
    assert _row("informatization_index", "410000", 2026, 1).actual == 58
    _v(ind, "informatization_index", "410000", 2026, 1, "61")
    refresh_rollups(indicator_codes=["informatization_index"], year=2026, warnings=False)
    assert _row("informatization_index", "410000", 2026, 1).actual == 61


def test_rollup_selectors_are_scoped(people, ind):
    _v(ind, "ti_investment", "410102", 2026, 1, "5")
    _v(ind, "ti_investment", "410305", 2026, 1, "7")
    refresh_rollups(indicator_codes=["ti_investment"], year=2026, warnings=False)
    city_rows = selectors.rollup_month(actor=people.zz, year=2026, month=1, indicator_codes=["ti_investment"])
    assert {r.region_id for r in city_rows} == {"410100", "410102"}
    assert (
        len(
            selectors.rollup_trend(
                actor=people.zy, region_code="410102", indicator_code="ti_investment", years=[2026]
            )
        )
        == 1
    )
    from django.http import Http404

    with pytest.raises(Http404):
        selectors.rollup_trend(
            actor=people.zy, region_code="410305", indicator_code="ti_investment", years=[2026]
        )
    assert selectors.latest_month(year=2026) == 1


def test_the_background_job_recomputes_and_rolls_up(ind):
    from types import SimpleNamespace

    from jigai.monitoring.services.rollups import refresh_job

    _v(ind, "ti_investment", "410102", 2025, 3, "9")
    seen = []
    outcome = refresh_job(SimpleNamespace(params={"years": [2025]}), lambda *a, **k: seen.append(a))
    assert "1 个年度" in outcome.message
    assert _row("ti_investment", "410000", 2025, 3).actual == 9
    assert seen[-1][0] == seen[-1][1]  # progress reaches its total


# ------------------------------------------------------------------------------------------ the sources
# Each record behind a computed figure refreshes the figures of its region and months once it commits
# (jigai/monitoring/services/sources.py); the dashboards read the rollups only.

Y = 2025


def _fig(code, region, month, year=Y):
    row = MonthlyRollup.objects.filter(indicator__code=code, region_id=region, year=year, month=month).first()
    return None if row is None else row.actual


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """`with commit():` — the changes inside are committed (the on-commit refreshes run)."""
    from contextlib import contextmanager

    from django.db import transaction

    @contextmanager
    def run():
        # a transaction of its own: the changes the test made before (never committed) are not in it
        transaction.get_connection()._monitoring_batch = None
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            yield

    return run


def test_a_title_refreshes_its_county_from_its_month_and_follows_a_moved_date(ind, commit):
    import datetime as dt

    from jigai.registry.tests.factories import EnterpriseFactory, TitleFactory

    ent = EnterpriseFactory(region_id="410305")
    with commit():
        title = TitleFactory(enterprise=ent, kind="green_factory", awarded_on=dt.date(Y, 3, 10))
    assert _fig("verified_titles", "410305", 3) == 1 and _fig("green_factories", "410300", 12) == 1
    assert _fig("verified_titles", "410300", 2) is None  # before it was awarded
    with commit():
        title.awarded_on = dt.date(Y, 5, 2)
        title.save()
    assert _fig("verified_titles", "410300", 3) is None and _fig("verified_titles", "410300", 5) == 1
    with commit():
        title.delete()
    assert _fig("verified_titles", "410000", 12) is None


def test_a_product_recognition_refreshes_new_products(ind, commit):
    import datetime as dt

    from jigai.registry.tests.factories import ProductFactory, RecognitionFactory

    product = ProductFactory(enterprise__region_id="410102")
    with commit():
        rec = RecognitionFactory(product=product, recognized_on=dt.date(Y, 4, 1))
    assert _fig("new_products", "410100", 4) == 1 and _fig("new_products", "410000", 9) == 1
    with commit():
        RecognitionFactory(product=product, level="national", recognized_on=dt.date(Y, 6, 1))
    assert _fig("new_products", "410100", 6) == 1  # one product, however many recognitions
    with commit():
        rec.delete()
    assert _fig("new_products", "410100", 4) is None and _fig("new_products", "410100", 6) == 1


def test_a_platform_counts_once_listed(ind, commit):
    import datetime as dt

    from jigai.registry.tests.factories import PlatformFactory

    with commit():
        platform = PlatformFactory(enterprise__region_id="410102", listed_on=None)
    assert _fig("new_platforms", "410100", 12) is None
    with commit():
        platform.listed_on = dt.date(Y, 7, 15)
        platform.save()
    assert _fig("new_platforms", "410100", 7) == 1 and _fig("new_platforms", "410100", 6) is None


def test_a_qualification_counts_when_the_province_verifies_it_and_not_after_a_rejection(people, ind, commit):
    import datetime as dt

    from jigai.registry.services.qualifications import qualification_reject, qualification_verify
    from jigai.registry.tests.factories import QualificationFactory

    with commit():
        q = QualificationFactory(
            enterprise__region_id="410305",
            kind="national_little_giant",
            level="national",
            valid_from=dt.date(Y, 2, 1),
            valid_to=dt.date(Y + 2, 12, 31),
            status="submitted",
        )
    assert _fig("little_giants", "410300", 2) is None  # a claim nobody vouched for never counts
    with commit():
        qualification_verify(actor=people.province, qualification=q)
    assert _fig("little_giants", "410305", 2) == 1 and _fig("little_giants", "410000", 12) == 1
    q.refresh_from_db()
    with commit():
        q.status = "submitted"  # an edit of what was vouched for sends it back (registry's unverify)
        q.save()
    assert _fig("little_giants", "410000", 12) is None
    with commit():
        qualification_reject(actor=people.province, qualification=q, reason="证书与名单不符")
    assert _fig("little_giants", "410000", 12) is None


def _decided_application(region="410102"):
    from jigai.funding.tests import factories as f

    user = f.enterprise_user(region)
    g = f.guideline(year=Y)
    return f.draft(user, g)


def test_an_award_granted_and_withdrawn_refreshes_awards_granted(ind, commit):
    import datetime as dt

    from django.utils import timezone

    app = _decided_application()
    assert _fig("awards_granted", "410100", 12) is None
    with commit():
        app.ceiling = Decimal("5000000")
        app.granted_amount = Decimal("3000000")
        app.decided_at = timezone.make_aware(dt.datetime(Y, 8, 20, 10))
        app.save()
    assert _fig("awards_granted", "410102", 8) == 300 and _fig("awards_granted", "410000", 12) == 300
    assert _fig("awards_granted", "410100", 7) is None
    with commit():  # an objection upheld: back to the province's decision (services/notices.py)
        app.granted_amount = None
        app.decided_at = None
        app.save()
    assert _fig("awards_granted", "410000", 12) is None


def test_a_payment_counts_when_confirmed(people, ind, commit):
    import datetime as dt

    from jigai.funding.models import Payment, PaymentStage

    app = _decided_application("410305")
    stage = PaymentStage.objects.create(application=app, stage="first", sequence=1, planned_amount=100)
    finance = people.province
    with commit():
        payment = Payment.objects.create(
            stage=stage,
            paid_on=dt.date(Y, 9, 3),
            amount=Decimal("1200000"),
            voucher_no="V1",
            entered_by=finance,
        )
    assert _fig("awards_paid", "410300", 9) is None  # entered, not yet confirmed by the checker
    with commit():
        payment.status = "confirmed"
        payment.save(update_fields=["status"])
    assert _fig("awards_paid", "410305", 9) == 120 and _fig("awards_paid", "410000", 12) == 120


def test_progress_refreshes_only_its_own_county(ind, commit):
    import datetime as dt

    from jigai.monitoring.services.computed import refresh_computed
    from jigai.registry.models import LibraryStatus, ProgressReport
    from jigai.registry.tests.factories import EnterpriseFactory, ProjectFactory

    projects = {
        code: ProjectFactory(
            enterprise=EnterpriseFactory(region_id=code), library_status=LibraryStatus.IN_LIBRARY
        )
        for code in ("410102", "410305")
    }
    for p in projects.values():
        ProgressReport.objects.create(project=p, month=dt.date(Y, 2, 1), investment_completed=1_000_000)
    refresh_computed(year=Y)
    # a stale figure elsewhere shows what a refresh touches: only the county of the changed report
    MonthlyValue.objects.filter(indicator__code="lib_investment", region_id="410102").update(value=7)
    with commit():
        ProgressReport.objects.create(
            project=projects["410305"], month=dt.date(Y, 4, 1), investment_completed=500_000
        )
    assert _fig("lib_investment", "410305", 4) == 150 and _fig("lib_investment", "410305", 3) == 100
    assert (
        MonthlyValue.objects.get(indicator__code="lib_investment", region_id="410102", year=Y, month=4).value
        == 7
    )


def test_a_project_entering_the_library_brings_its_progress_and_its_machine_replacement(ind, commit):
    import datetime as dt

    from django.utils import timezone

    from jigai.registry.models import LibraryStatus, ProgressReport
    from jigai.registry.tests.factories import ProjectFactory

    project = ProjectFactory(
        enterprise__region_id="410102",
        library_status=LibraryStatus.COUNTY_CHECKED,
        is_machine_replacement=True,
    )
    with commit():
        ProgressReport.objects.create(project=project, month=dt.date(Y, 3, 1), investment_completed=2_000_000)
    assert _fig("lib_investment", "410100", 3) is None  # not in the library yet
    with commit():
        project.library_status = LibraryStatus.IN_LIBRARY
        project.in_library_at = timezone.make_aware(dt.datetime(Y, 6, 1, 9))
        project.save()
    assert _fig("lib_investment", "410100", 3) == 200
    assert _fig("lib_investment_intelligent", "410000", 12) == 200
    assert _fig("machine_replacement", "410100", 6) == 1 and _fig("machine_replacement", "410100", 5) is None


def test_unchanged_records_refresh_nothing_and_one_transaction_refreshes_once(ind, commit, monkeypatch):
    import datetime as dt

    from jigai.monitoring.services import sources
    from jigai.registry.models import Title
    from jigai.registry.tests.factories import EnterpriseFactory, TitleFactory

    calls = []
    real = sources.refresh_changes
    monkeypatch.setattr(
        sources, "refresh_changes", lambda changes: calls.append(set(changes)) or real(changes)
    )
    ent = EnterpriseFactory(region_id="410102")
    with commit():
        for day in (1, 2, 3):
            TitleFactory(enterprise=ent, awarded_on=dt.date(Y, 3, day))
        TitleFactory(enterprise=EnterpriseFactory(region_id="410305"), awarded_on=dt.date(Y, 5, 1))
    assert len(calls) == 1 and {(r, m) for _c, r, _y, m in calls[0]} == {("410102", 3), ("410305", 5)}
    assert _fig("verified_titles", "410000", 5) == 4
    with commit():
        title = Title.objects.filter(enterprise=ent).first()
        title.name = "改了名称"  # feeds no figure
        title.save()
    assert len(calls) == 1


def test_a_rolled_back_change_leaves_the_figures_as_they_were(ind, commit):
    import datetime as dt

    from django.db import transaction

    from jigai.registry.tests.factories import EnterpriseFactory, TitleFactory

    ent = EnterpriseFactory(region_id="410102")
    with commit():
        with pytest.raises(RuntimeError), transaction.atomic():
            TitleFactory(enterprise=ent, awarded_on=dt.date(Y, 3, 1))
            raise RuntimeError
        TitleFactory(enterprise=ent, awarded_on=dt.date(Y, 4, 1))
    assert _fig("verified_titles", "410100", 3) is None and _fig("verified_titles", "410100", 4) == 1


def test_a_refresh_rewrites_only_the_rows_that_changed_and_ends_as_a_full_rewrite(ind):
    for region, value in (("410102", "300"), ("410103", "100"), ("410305", "200")):
        _v(ind, "ti_investment", region, Y, 2, value)
    refresh_rollups(indicator_codes=["ti_investment"], year=Y, warnings=False)
    untouched = _row("ti_investment", "410305", Y, 2)  # 洛阳's county: nothing of 郑州 moves it
    MonthlyValue.objects.filter(region_id="410103").update(value=Decimal(500))
    written = refresh_rollups(indicator_codes=["ti_investment"], year=Y, warnings=False)
    # 410103 and its neighbour's share, 郑州, the province, 洛阳's share of it: months 2–12
    assert 0 < written < MonthlyRollup.objects.filter(indicator__code="ti_investment", year=Y).count()
    assert _row("ti_investment", "410305", Y, 2).pk == untouched.pk
    assert _row("ti_investment", "410000", Y, 2).actual == 1000
    assert _row("ti_investment", "410102", Y, 2).share == Decimal("37.5")  # 300 of 郑州's 800
    kept = {
        (r.region_id, r.month): (r.actual, r.share, r.month_value)
        for r in MonthlyRollup.objects.filter(indicator__code="ti_investment", year=Y)
    }
    MonthlyRollup.objects.all().delete()
    refresh_rollups(indicator_codes=["ti_investment"], year=Y, warnings=False)
    assert kept == {
        (r.region_id, r.month): (r.actual, r.share, r.month_value)
        for r in MonthlyRollup.objects.filter(indicator__code="ti_investment", year=Y)
    }
    MonthlyValue.objects.filter(region_id="410305").delete()  # a county's figures withdrawn: its rows go
    refresh_rollups(indicator_codes=["ti_investment"], year=Y, warnings=False)
    assert not MonthlyRollup.objects.filter(indicator__code="ti_investment", region_id="410305").exists()


def test_the_monthly_sums_in_one_query_equal_the_year_to_date_queries():
    import datetime as dt

    from jigai.monitoring.computations import COMPUTATIONS
    from jigai.registry.models import LibraryStatus, ProgressReport
    from jigai.registry.tests.factories import EnterpriseFactory, ProjectFactory

    for n, (code, category) in enumerate(
        (("410102", "green"), ("410102", "intelligent"), ("410305", "green"))
    ):
        p = ProjectFactory(
            enterprise=EnterpriseFactory(region_id=code),
            library_status=LibraryStatus.IN_LIBRARY,
            category=category,
        )
        for month in (1, 3, 4, 9):
            ProgressReport.objects.create(
                project=p, month=dt.date(Y, month, 1), investment_completed=Decimal("123456.78") * (n + month)
            )
    ProgressReport.objects.create(  # last year's December: not in this year's sums
        project=p, month=dt.date(Y - 1, 12, 1), investment_completed=Decimal("999")
    )
    for key in ("lib_investment", "lib_investment_green", "lib_investment_intelligent"):
        comp = COMPUTATIONS[key]
        assert comp.monthly is not None
        for regions in (None, ["410305"]):
            by_months = comp.by_months(Y, [2, 3, 4, 8, 12], regions)
            assert by_months == {m: comp.by_region(Y, m, regions) for m in (2, 3, 4, 8, 12)}
    # 中原区 to April: the green project's Jan, Mar, Apr (1 + 3 + 4) and the intelligent one's (2 + 4 + 5)
    expected = (Decimal("123456.78") * 19 / 10000).quantize(Decimal("0.0001"))
    assert COMPUTATIONS["lib_investment"].by_months(Y, [4])[4]["410102"] == expected


def test_the_refresh_runs_in_the_worker_not_in_the_request(ind, commit):
    """On the database task backend (production), saving a record queues the refresh; the figures move
    when the worker runs it."""
    import datetime as dt

    from django.test import override_settings
    from django_tasks_db.models import DBTaskResult

    from jigai.monitoring.tasks import refresh_changed_figures
    from jigai.registry.tests.factories import EnterpriseFactory, TitleFactory

    ent = EnterpriseFactory(region_id="410102")
    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
        with commit():
            TitleFactory(enterprise=ent, awarded_on=dt.date(Y, 3, 1))
        queued = DBTaskResult.objects.get(task_path=refresh_changed_figures.module_path)
        assert _fig("verified_titles", "410100", 3) is None  # the request did not wait for it
        queued.task.call(*queued.args_kwargs["args"], **queued.args_kwargs["kwargs"])
    assert _fig("verified_titles", "410100", 3) == 1


def test_rows_written_in_bulk_by_an_import_move_the_figures_in_a_fixed_number_of_queries(ind, commit):
    """The imports' fast INSERT sends no post_save; registry.signals.bulk_written does, and its rows become
    changes with one query per lookup, however many rows (a 100,000-row progress import)."""
    import datetime as dt

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from jigai.monitoring.services.sources import bulk_changes
    from jigai.registry.excel.bulk import bulk_insert
    from jigai.registry.models import LibraryStatus, ProgressReport
    from jigai.registry.tests.factories import EnterpriseFactory, ProjectFactory

    projects = [
        ProjectFactory(enterprise=EnterpriseFactory(region_id=code), library_status=LibraryStatus.IN_LIBRARY)
        for code in ("410102", "410102", "410305")
    ]
    with commit():
        bulk_insert(
            [
                ProgressReport(project=p, month=dt.date(Y, 3, 1), investment_completed=1_000_000)
                for p in projects
            ]
        )
    assert _fig("lib_investment", "410102", 3) == 200 and _fig("lib_investment", "410305", 3) == 100
    assert _fig("lib_investment", "410000", 3) == 300

    def queries(n: int) -> int:
        rows = [
            ProgressReport(project=projects[i % 3], month=dt.date(Y, 1 + i % 12, 1), investment_completed=1)
            for i in range(n)
        ]
        with CaptureQueriesContext(connection) as q:
            changes = bulk_changes(ProgressReport, rows)
        assert {(r, y) for _c, r, y, _m in changes} == {("410102", Y), ("410305", Y)}
        return len(q)

    assert queries(3) == queries(300) == 1


def test_qualifications_verified_by_an_official_list_count(people, ind, commit):
    """The province's official list (资质名单) verifies a claim with one bulk UPDATE and adds the listed
    enterprise's new one with the fast INSERT — neither sends post_save; both figures still move."""
    import datetime as dt

    from jigai.registry import excel as registry_excel
    from jigai.registry.tests.factories import EnterpriseFactory, QualificationFactory
    from jigai.registry.tests.test_excel_import import xlsx
    from jigai.registry.tests.test_qualifications import DOC, LIST_HEADERS

    claimed = EnterpriseFactory(region_id="410305")
    listed = EnterpriseFactory(region_id="410102")
    QualificationFactory(
        enterprise=claimed,
        kind="national_little_giant",
        level="national",
        valid_from=dt.date(Y, 2, 1),
        valid_to=dt.date(Y + 2, 12, 31),
        status="submitted",
    )
    little_giant = "国家级专精特新“小巨人”企业"
    rows = [
        [little_giant, claimed.uscc, "", "", dt.date(Y, 2, 1), dt.date(Y + 2, 12, 31), DOC],
        [little_giant, listed.uscc, "", "", dt.date(Y, 5, 1), dt.date(Y + 2, 12, 31), DOC],
    ]
    assert _fig("little_giants", "410000", 12) is None
    with commit():
        result = registry_excel.import_file(
            actor=people.province, kind="qualification_lists", file=xlsx([LIST_HEADERS, *rows])
        )
    assert result.ok, [e.message for e in result.errors]
    assert _fig("little_giants", "410305", 2) == 1 and _fig("little_giants", "410102", 5) == 1
    assert _fig("little_giants", "410000", 12) == 2


def test_an_enterprise_that_moves_takes_its_figures_to_its_new_county(ind, commit):
    import datetime as dt

    from jigai.registry.tests.factories import EnterpriseFactory, TitleFactory

    with commit():
        ent = EnterpriseFactory(region_id="410102")  # new: nothing to refresh
        TitleFactory(enterprise=ent, awarded_on=dt.date(Y, 3, 1))
    assert _fig("verified_titles", "410100", 3) == 1 and _fig("verified_titles", "410300", 3) is None
    with commit():
        ent.region_id = "410305"
        ent.save()
    assert _fig("verified_titles", "410100", 3) is None and _fig("verified_titles", "410300", 3) == 1
