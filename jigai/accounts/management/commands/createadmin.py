"""`jigai createadmin --role admin|secadmin|auditadmin --username NAME`: open one of the three administrator
accounts (三权分立, issue 12). The user pages cannot create, change or promote them, so this command, run on
the server, is the only way. The password is asked for (or taken from JIGAI_ADMIN_PASSWORD for scripts);
it must be changed at first sign-in, where the second factor is enrolled too."""

from __future__ import annotations

import getpass
import os
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from jigai.accounts.roles import ADMIN_ROLES, Role
from jigai.accounts.services import create_admin
from jigai.core.errors import DomainError


class Command(BaseCommand):
    help = "创建系统管理员、安全管理员或审计管理员账号（三权分立：三者只能由本命令创建）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--role", required=True, choices=sorted(r.value for r in ADMIN_ROLES))
        parser.add_argument("--username", required=True)
        parser.add_argument("--full-name", default="")
        parser.add_argument("--email", default="")

    def handle(self, *args: Any, **opts: Any) -> None:
        password = os.environ.get("JIGAI_ADMIN_PASSWORD") or ""
        if not password:
            password = getpass.getpass("初始密码：")
            if getpass.getpass("再次输入：") != password:
                raise CommandError("两次输入的密码不一致。")
        try:
            with translation.override(settings.LANGUAGE_CODE):  # Django's own messages in Chinese too
                user = create_admin(
                    username=opts["username"],
                    role=opts["role"],
                    password=password,
                    full_name=opts["full_name"],
                    email=opts["email"],
                )
        except DomainError as e:
            errors = getattr(e, "errors", None) or {"": [str(e)]}
            lines = [
                f"{field}: {'；'.join(map(str, msgs))}" if field else "；".join(map(str, msgs))
                for field, msgs in errors.items()
            ]
            raise CommandError("\n".join(lines)) from None
        self.stdout.write(
            f"已创建{Role(user.role).label} {user.username}。首次登录须修改初始密码并绑定身份验证器。"
        )
