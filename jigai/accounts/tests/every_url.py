"""Accounts' part of the every-URL test (tests/test_every_url.py): the three administrators' pages answer
them on the demo data (三权分立, issue 12)."""

MUST_ANSWER = {
    "admin": ["accounts:user_list", "accounts:user_create"],
    "anquan": ["accounts:security_overview", "accounts:security_accounts"],
    "shenji": ["accounts:login_log"],
    "shengting": ["accounts:otp_codes"],
}
