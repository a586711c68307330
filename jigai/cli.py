"""The one command-line entry point, `jigai`.

`jigai policy …` runs the rules engine alone (no Django start-up, so large batches stay fast);
every other sub-command is a Django management command (`jigai migrate`, `jigai demo`,
`jigai audit verify`, …).
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] == "policy":
        from jigai.policy.cli import main as policy_main

        return policy_main(args[1:])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["jigai", *args])
    return 0


if __name__ == "__main__":
    sys.exit(main())
