from django.urls import path

from . import views, views_qualifications

app_name = "registry"

urlpatterns = [
    path("", views.portal, name="portal"),
    # enterprises
    path("enterprises/", views.enterprise_list, name="enterprise_list"),
    path("enterprises/pending/", views.enterprise_queue, name="enterprise_queue"),
    path("enterprises/<int:pk>/", views.enterprise_detail, name="enterprise_detail"),
    path("enterprises/<int:pk>/edit/", views.enterprise_edit, name="enterprise_edit"),
    path("enterprises/<int:pk>/confirm/", views.enterprise_confirm, name="enterprise_confirm"),
    path("enterprises/<int:pk>/reject/", views.enterprise_reject, name="enterprise_reject"),
    path("enterprises/<int:pk>/qualifications/new/", views.qualification_create, name="qualification_create"),
    path("qualifications/<int:pk>/edit/", views.qualification_edit, name="qualification_edit"),
    # vouching (issue 7): qualifications verified by an officer, 研发、生产在河南省内 checked by the county
    path("qualifications/queue/", views_qualifications.qualification_queue, name="qualification_queue"),
    path(
        "qualifications/<int:pk>/verify/",
        views_qualifications.qualification_verify,
        name="qualification_verify",
    ),
    path(
        "qualifications/<int:pk>/reject/",
        views_qualifications.qualification_reject,
        name="qualification_reject",
    ),
    path(
        "enterprises/<int:pk>/in-henan/",
        views_qualifications.enterprise_check_in_henan,
        name="enterprise_check_in_henan",
    ),
    # project library
    path("projects/", views.project_list, name="project_list"),
    path("projects/queue/", views.project_queue, name="project_queue"),
    path("projects/missing/", views.project_missing, name="project_missing"),
    path("projects/new/", views.project_create, name="project_create"),
    path("projects/<int:pk>/", views.project_detail, name="project_detail"),
    path("projects/<int:pk>/edit/", views.project_edit, name="project_edit"),
    path("projects/<int:pk>/transition/", views.project_transition, name="project_transition"),
    path("projects/<int:pk>/construction/", views.project_construction, name="project_construction"),
    path("projects/<int:pk>/progress/new/", views.progress_create, name="progress_create"),
    path("progress/<int:pk>/edit/", views.progress_edit, name="progress_edit"),
    # products
    path("products/", views.product_list, name="product_list"),
    path("products/new/", views.product_create, name="product_create"),
    path("products/<int:pk>/", views.product_detail, name="product_detail"),
    path("products/<int:pk>/edit/", views.product_edit, name="product_edit"),
    path("products/<int:pk>/recognitions/new/", views.recognition_create, name="recognition_create"),
    path("products/<int:pk>/policies/new/", views.policy_create, name="policy_create"),
    path("policies/<int:pk>/periods/new/", views.period_create, name="period_create"),
    path("products/<int:pk>/invoices/new/", views.invoice_create, name="invoice_create"),
    # platforms
    path("platforms/", views.platform_list, name="platform_list"),
    path("platforms/new/", views.platform_create, name="platform_create"),
    path("platforms/<int:pk>/", views.platform_detail, name="platform_detail"),
    path("platforms/<int:pk>/edit/", views.platform_edit, name="platform_edit"),
    path("platforms/<int:pk>/assessments/new/", views.assessment_create, name="assessment_create"),
    # titles
    path("titles/", views.title_list, name="title_list"),
    path("titles/new/", views.title_create, name="title_create"),
    path("titles/<int:pk>/", views.title_detail, name="title_detail"),
    path("titles/<int:pk>/edit/", views.title_edit, name="title_edit"),
    # child rows removed from their parent's page
    path("<slug:kind>/<int:pk>/delete/", views.child_delete, name="child_delete"),
]
