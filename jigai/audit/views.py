"""The audit administrator's pages (issue 12): search the trail by object, actor, time and action, and
export what was found (the export is itself recorded)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from jigai.accounts.permissions import require
from jigai.core.excel import INT, TEXT, Column, Spec, export_rows

from .models import ACTION_LABELS, AuditEvent
from .selectors import audit_list
from .services import audit_record, audit_verify

PAGE_SIZES = (20, 50, 100)
EXPORT_LIMIT = 200_000


class AuditSearchForm(forms.Form):
    target_type = forms.CharField(
        label="对象类型",
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": "如 funding.application"}),
    )
    target_id = forms.CharField(label="对象编号", required=False, max_length=64)
    actor = forms.CharField(label="操作人（用户名或姓名）", required=False, max_length=150)
    action = forms.ChoiceField(label="操作", required=False, choices=())
    date_from = forms.DateField(
        label="起始日期", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label="截止日期", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    q = forms.CharField(label="关键字", required=False, max_length=100)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        actions = sorted(set(AuditEvent.objects.values_list("action", flat=True).distinct()[:500]))
        self.fields["action"].choices = [("", "全部")] + [(a, ACTION_LABELS.get(a, a)) for a in actions]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", "截止日期不能早于起始日期。")
        return data


def _events(request: HttpRequest, form: AuditSearchForm) -> Any:
    filters = dict(form.cleaned_data) if form.is_valid() else {}
    actor_text = (filters.pop("actor", "") or "").strip()
    qs = audit_list(actor=request.user, filters={k: v for k, v in filters.items() if v})
    if actor_text:
        from django.db.models import Q

        qs = qs.filter(Q(actor_name__icontains=actor_text) | Q(actor__username__iexact=actor_text))
    return qs


@login_required
def search(request: HttpRequest) -> HttpResponse:
    require(request.user, "audit.view")
    form = AuditSearchForm(request.GET or None)
    qs = _events(request, form)
    try:
        size = int(request.GET.get("size") or 50)
    except ValueError:
        size = 50
    size = size if size in PAGE_SIZES else 50
    page = Paginator(qs, size).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode(), "size": size, "sizes": PAGE_SIZES}
    return render(request, "audit/search.html", context)


@login_required
def verify(request: HttpRequest) -> HttpResponse:
    require(request.user, "audit.verify")
    result = audit_verify()
    return render(request, "audit/verify.html", {"result": result})


AUDIT_EXPORT_SPEC = Spec(
    "审计记录",
    [
        Column("seq", "序号", INT, width=10),
        Column("occurred_at", "时间", TEXT, width=20),
        Column("actor", "操作人", TEXT, width=16),
        Column("role", "角色", TEXT, width=14),
        Column("action", "操作", TEXT, width=24),
        Column("target_type", "对象类型", TEXT, width=16),
        Column("target_id", "对象编号", TEXT, width=12),
        Column("target_label", "对象名称", TEXT, width=30),
        Column("region", "区划", TEXT, width=16),
        Column("comment", "意见", TEXT, width=40),
        Column("hash", "哈希", TEXT, width=20),
    ],
)


@login_required
def export(request: HttpRequest) -> FileResponse:
    require(request.user, "audit.view")
    form = AuditSearchForm(request.GET or None)
    qs = _events(request, form)[:EXPORT_LIMIT]
    count = 0

    def rows() -> Any:
        nonlocal count
        for ev in qs.iterator(chunk_size=2000):
            count += 1
            yield {
                "seq": ev.seq,
                "occurred_at": timezone.localtime(ev.occurred_at).strftime("%Y-%m-%d %H:%M:%S"),
                "actor": ev.actor_name or "系统",
                "role": ev.actor_role,
                "action": ev.action_label,
                "target_type": ev.target_type,
                "target_id": ev.target_id,
                "target_label": ev.target_label,
                "region": ev.region_path,
                "comment": ev.comment,
                "hash": ev.hash,
            }

    # The project's one xlsx writer: constant memory, formula-like cells quoted (never evaluated).
    response = export_rows(AUDIT_EXPORT_SPEC, rows(), filename=f"审计记录-{dt.date.today():%Y%m%d}.xlsx")
    audit_record(
        actor=request.user,
        action="audit.export",
        comment=f"导出审计记录 {count} 条；条件：{request.GET.urlencode() or '全部'}"[:1000],
    )
    return response
