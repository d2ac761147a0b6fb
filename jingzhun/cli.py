"""The `jingzhun` console command: a thin wrapper over Django's management commands.

`jingzhun demo` and `jingzhun worker` are management commands like any other; this entry point
only picks the settings module so operators need not know about manage.py.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jingzhun.config.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv[1:] if argv is None else argv)
    if args and not args[0].startswith("-"):
        # `jingzhun evaluate-model` and `jingzhun evaluate_model` are the same command.
        args[0] = args[0].replace("-", "_")
    execute_from_command_line(["jingzhun", *args])


if __name__ == "__main__":
    main()
