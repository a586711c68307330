"""URLs of the funding app, included at the site root: the work pages under /funding/, the two public
pages /guidelines/ and /notices/ (no sign-in)."""

from django.urls import path

from . import (
    audit_labels,  # noqa: F401  (the Chinese of the round's codes in the audit history)
    views,
    workbench_hooks,  # noqa: F401  (registers the workbench's deadlines and headline figures)
)
from .views import documents as docs

app_name = "funding"

urlpatterns = [
    # public (no login)
    path("guidelines/", views.public_guidelines, name="public_guidelines"),
    path("notices/", views.public_notices, name="public_notices"),
    path("notices/<int:pk>/", views.public_notice, name="public_notice"),
    path("notices/<int:pk>/list.pdf", views.public_notice_pdf, name="public_notice_pdf"),
    # work queue and applications
    path("funding/", views.queue, name="queue"),
    path("funding/export.xlsx", views.queue_export, name="queue_export"),
    path("funding/apply/", views.apply, name="apply"),
    path("funding/apply/preview/", views.apply_preview, name="apply_preview"),
    path("funding/applications/<int:pk>/", views.application_detail, name="application_detail"),
    path("funding/applications/<int:pk>/edit/", views.application_edit, name="application_edit"),
    path("funding/applications/<int:pk>/history/", views.application_history, name="application_history"),
    path("funding/applications/<int:pk>/submit/", views.application_submit, name="application_submit"),
    path("funding/applications/<int:pk>/delete/", views.application_delete, name="application_delete"),
    path("funding/applications/<int:pk>/move/", views.application_move, name="application_move"),
    path("funding/applications/<int:pk>/attachments/", views.attachment_upload, name="attachment_upload"),
    path("funding/attachments/<int:pk>/", views.attachment_download, name="attachment_download"),
    # printable documents (issue 9): 申报书, the review sheet of each level, the 立项通知
    path("funding/applications/<int:pk>/form.pdf", docs.application_pdf, name="application_pdf"),
    *[
        path(
            f"funding/applications/<int:pk>/review-{level}.pdf",
            docs.review_sheet_pdf,
            {"level": level},
            name=f"review_{level}_pdf",
        )
        for level in ("county", "city", "province")
    ],
    path("funding/applications/<int:pk>/notice.pdf", docs.approval_notice_pdf, name="approval_notice_pdf"),
    path("funding/applications/<int:pk>/experts/", views.expert_assign, name="expert_assign"),
    path("funding/flags/<int:pk>/clear/", views.fingerprint_flag_clear, name="fingerprint_flag_clear"),
    # register of other provincial funds' awards (三 末段)
    path("funding/other-funds/", views.other_fund_list, name="other_fund_list"),
    path("funding/other-funds/<int:pk>/delete/", views.other_fund_delete, name="other_fund_delete"),
    # 政策匹配 / 免申即享 (issue 13)
    path("funding/matches/", views.match_list, name="match_list"),
    path("funding/matches/refresh/", views.match_refresh, name="match_refresh"),
    path("funding/matches/notify/", views.match_notify, name="match_notify"),
    path("funding/matches/<int:pk>/apply/", views.match_start, name="match_start"),
    path(
        "funding/matches/proactive/<int:pk>/confirm/",
        views.match_proactive_confirm,
        name="match_proactive_confirm",
    ),
    path("funding/matches/proactive/<int:pk>/decline/", views.match_decline, name="match_decline"),
    path("funding/matches/region/", views.match_region, name="match_region"),
    path("funding/matches/region/export.xlsx", views.match_export, name="match_export"),
    path(
        "funding/matches/proactive/<int:pk>/county/", views.match_county_confirm, name="match_county_confirm"
    ),
    # the guideline what-if simulator (issue 13)
    path("funding/simulator/", views.sim_list, name="sim_list"),
    path("funding/simulator/compare/", views.sim_compare, name="sim_compare"),
    path("funding/simulator/<int:pk>/", views.sim_detail, name="sim_detail"),
    path("funding/simulator/<int:pk>/run/", views.sim_run, name="sim_run"),
    path("funding/simulator/<int:pk>/delete/", views.sim_delete, name="sim_delete"),
    path("funding/simulator/<int:pk>/publish/", views.sim_publish, name="sim_publish"),
    path("funding/simulator/runs/<int:pk>/cases/<str:case_id>/", views.sim_case, name="sim_case"),
    # guidelines (province)
    path("funding/guidelines/", views.guideline_list, name="guideline_list"),
    path("funding/guidelines/new/", views.guideline_create, name="guideline_create"),
    path("funding/guidelines/<int:pk>/", views.guideline_detail, name="guideline_detail"),
    path("funding/guidelines/<int:pk>/edit/", views.guideline_edit, name="guideline_edit"),
    path("funding/guidelines/<int:pk>/publish/", views.guideline_publish, name="guideline_publish"),
    path("funding/guidelines/<int:pk>/extend/", views.guideline_extend, name="guideline_extend"),
    # experts
    path("funding/reviews/", views.expert_list, name="expert_list"),
    path("funding/reviews/<int:pk>/", views.expert_review, name="expert_review"),
    path("funding/reviews/<int:pk>/sheet.pdf", docs.expert_sheet_pdf, name="expert_sheet_pdf"),
    # decision and allocation (province)
    path("funding/decision/", views.decision_index, name="decision_index"),
    path("funding/decision/<int:pk>/", views.decision, name="decision"),
    path("funding/allocations/<int:pk>/decide/", views.allocation_decide, name="allocation_decide"),
    # notices and objections (province)
    path("funding/notices/", views.notice_list, name="notice_list"),
    path("funding/notices/<int:pk>/", views.notice_detail, name="notice_detail"),
    path("funding/notices/<int:pk>/export.xlsx", views.notice_export_xlsx, name="notice_export_xlsx"),
    path("funding/notices/<int:pk>/export.pdf", views.notice_export_pdf, name="notice_export_pdf"),
    path("funding/objections/<int:pk>/", views.objection_detail, name="objection_detail"),
    # payments (finance)
    path("funding/payments/", views.payment_list, name="payment_list"),
    path("funding/payments/export.xlsx", views.payment_export, name="payment_export"),
    path("funding/payments/<int:pk>/record.pdf", docs.payment_record_pdf, name="payment_record_pdf"),
    path("funding/payments/<int:pk>/receipt/", docs.payment_receipt, name="payment_receipt"),
    path("funding/payments/stages/<int:pk>/enter/", views.payment_enter, name="payment_enter"),
    path("funding/payments/<int:pk>/confirm/", views.payment_confirm, name="payment_confirm"),
]
