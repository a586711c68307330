"""run_for_page: the one place a page turns a domain error into what the user sees."""

from __future__ import annotations

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.http import Http404
from django.test import RequestFactory

from jigai.core.errors import AccessDenied, DomainError, NotFound, run_for_page


class F(forms.Form):
    amount = forms.CharField(required=False)


def _request():
    request = RequestFactory().post("/")
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


def _raise(error):
    def action():
        raise error

    return action


def test_a_domain_error_goes_on_its_field_or_into_the_messages():
    form = F({})
    assert form.is_valid()
    assert run_for_page(None, _raise(DomainError("金额不能为负数。", field="amount")), form=form) is None
    assert form.errors["amount"] == ["金额不能为负数。"]
    request = _request()
    assert run_for_page(request, _raise(DomainError("已处理。")), success="好") is None
    assert [m.message for m in get_messages(request)] == ["已处理。"]


def test_not_found_is_the_404_and_access_denied_the_403():
    with pytest.raises(Http404):
        run_for_page(None, _raise(NotFound("未找到。")))
    with pytest.raises(AccessDenied):
        run_for_page(None, _raise(AccessDenied("无权。")))


def test_success_says_so_and_returns_the_result():
    request = _request()
    assert run_for_page(request, lambda: 7, success="已保存。") == 7
    assert run_for_page(request, lambda: None) is True
    assert [m.message for m in get_messages(request)] == ["已保存。"]
