"""The `gongkai` console command: Django's management commands, usable from any folder."""

import os
import sys


def command_argv(argv: list[str]) -> list[str]:
    """Accept hyphenated command names (`import-documents`) for Django's `import_documents`."""
    argv = list(argv)
    position = 1 if argv[:1] == ["help"] else 0
    if len(argv) > position and not argv[position].startswith("-"):
        argv[position] = argv[position].replace("-", "_")
    return argv


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["gongkai", *command_argv(sys.argv[1:] if argv is None else argv)])
    return 0


if __name__ == "__main__":
    sys.exit(main())
