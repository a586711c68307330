"""The forms of the payment pages: the payment with the payee's account, the confirmation with the 回单.
(Beside funding.forms so the payment pages own their fields; the rules are in services.payments.)"""

from __future__ import annotations

from django import forms

from .forms import PaymentEnterForm


class PaymentEntryForm(PaymentEnterForm):
    """A payment of a stage with the account the money goes to (收款单位、开户银行、银行账号), all three
    required (the service says the same, services.payments.clean_payee). The account number is checked by
    the service (8–32 digits, spaces and dashes allowed while typing)."""

    payee_name = forms.CharField(
        label="收款单位",
        max_length=200,
        help_text="默认为申报企业名称",
        error_messages={"required": "请填写收款单位。"},
    )
    payee_bank = forms.CharField(
        label="开户银行",
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": "如：中国工商银行洛阳涧西支行"}),
        error_messages={"required": "请填写开户银行。"},
    )
    payee_account = forms.CharField(
        label="银行账号",
        max_length=40,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        help_text="8 至 32 位数字",
        error_messages={"required": "请填写银行账号。"},
    )


class PaymentConfirmForm(forms.Form):
    """The checker's confirmation, with the bank's receipt (回单) of the transfer."""

    receipt = forms.FileField(label="银行回单（PDF/PNG/JPEG，不超过 10 MB）", required=False)
