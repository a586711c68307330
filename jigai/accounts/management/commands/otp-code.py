"""`jigai otp-code <username>`: the current TOTP code of a DEMO account (one pre-enrolled with the public demo
secret, jigai.accounts.otp.DEMO_TOTP_SECRET), so a newcomer can finish the sign-in without an authenticator
app. Any other account is refused: its secret is its owner's."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jigai.accounts import otp
from jigai.accounts.models import User


class Command(BaseCommand):
    help = "显示演示账号当前的动态口令（只限使用公开演示密钥的演示账号）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, **opts: Any) -> None:
        user = User.objects.filter(username=opts["username"]).first()
        device = otp.confirmed_device(user) if user is not None else None
        if not otp.is_demo_device(device):
            raise CommandError("只能显示演示账号（使用公开演示密钥）的动态口令。")
        self.stdout.write(otp.current_code(device))
