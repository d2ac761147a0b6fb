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

    execute_from_command_line(["jingzhun", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
