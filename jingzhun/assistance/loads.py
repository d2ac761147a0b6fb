# ruff: noqa: S608 - every statement here is built from this module's constants, no input.
"""Open actions counted per department, person and due date (`ActionLoad`), kept by the database.

A department's queue shows its total and each member's open and overdue actions. Counting
them from the actions themselves reads every open row of the department on every page view —
hundreds of milliseconds at a million open actions. The counts live instead in `ActionLoad`,
kept exact by triggers on the action table, so every write is counted whatever its path:
services, set-based inserts, `QuerySet.update()`, cascading deletes, the admin. Overdue is
"due before today", so the counts are per due date and the page sums a few thousand rows.

PostgreSQL uses statement-level triggers with transition tables (one grouped upsert per
statement, so a COPY of 500,000 actions costs one aggregate); SQLite has row triggers only.
On SQLite a migration that rebuilds the action table drops its triggers, so `loads_install`
runs after every `migrate` (`AssistanceConfig.ready`), recreates missing triggers and then
recounts, which leaves the counts right either way.
"""

from __future__ import annotations

from typing import Any

from django.db import connection, transaction

OPEN_SQL = "('todo', 'doing')"  # transitions.ACTION_OPEN, as SQL
ACTION = "assistance_action"
LOAD = "assistance_actionload"
KEY = "department_id, assignee_key, due_date"
UPSERT = (
    f"ON CONFLICT ({KEY}) DO UPDATE SET open_actions = {LOAD}.open_actions + EXCLUDED.open_actions"
)

SQLITE_TRIGGERS = {
    "assistance_action_load_insert": f"""
        CREATE TRIGGER IF NOT EXISTS assistance_action_load_insert AFTER INSERT ON {ACTION}
        WHEN NEW.status IN {OPEN_SQL}
        BEGIN
            INSERT INTO {LOAD} ({KEY}, open_actions)
            VALUES (NEW.department_id, COALESCE(NEW.assignee_id, 0), NEW.due_date, 1) {UPSERT};
        END""",
    "assistance_action_load_update": f"""
        CREATE TRIGGER IF NOT EXISTS assistance_action_load_update
        AFTER UPDATE OF status, department_id, assignee_id, due_date ON {ACTION}
        BEGIN
            UPDATE {LOAD} SET open_actions = open_actions - 1
            WHERE OLD.status IN {OPEN_SQL} AND department_id = OLD.department_id
              AND assignee_key = COALESCE(OLD.assignee_id, 0) AND due_date = OLD.due_date;
            INSERT INTO {LOAD} ({KEY}, open_actions)
            SELECT NEW.department_id, COALESCE(NEW.assignee_id, 0), NEW.due_date, 1
            WHERE NEW.status IN {OPEN_SQL} {UPSERT};
        END""",
    "assistance_action_load_delete": f"""
        CREATE TRIGGER IF NOT EXISTS assistance_action_load_delete AFTER DELETE ON {ACTION}
        WHEN OLD.status IN {OPEN_SQL}
        BEGIN
            UPDATE {LOAD} SET open_actions = open_actions - 1
            WHERE department_id = OLD.department_id
              AND assignee_key = COALESCE(OLD.assignee_id, 0) AND due_date = OLD.due_date;
        END""",
}


def _pg_grouped(table: str, sign: str) -> str:
    return (
        f"SELECT department_id, COALESCE(assignee_id, 0), due_date, {sign}COUNT(*) FROM {table} "
        f"WHERE status IN {OPEN_SQL} GROUP BY 1, 2, 3"
    )


PG_FUNCTIONS = {
    "insert": f"INSERT INTO {LOAD} ({KEY}, open_actions) {_pg_grouped('new_rows', '')} {UPSERT};",
    "delete": f"INSERT INTO {LOAD} ({KEY}, open_actions) {_pg_grouped('old_rows', '-')} {UPSERT};",
    "update": (
        f"INSERT INTO {LOAD} ({KEY}, open_actions) SELECT d, a, due, SUM(n) FROM ("
        f"{_pg_grouped('old_rows', '-')} UNION ALL {_pg_grouped('new_rows', '')}"
        f") AS change (d, a, due, n) GROUP BY 1, 2, 3 HAVING SUM(n) <> 0 {UPSERT};"
    ),
}
PG_REFERENCING = {
    "insert": "NEW TABLE AS new_rows",
    "delete": "OLD TABLE AS old_rows",
    "update": "OLD TABLE AS old_rows NEW TABLE AS new_rows",
}


def _installed(cursor: Any) -> set[str]:
    if connection.vendor == "postgresql":
        cursor.execute(
            "SELECT tgname FROM pg_trigger WHERE tgrelid = %s::regclass AND NOT tgisinternal",
            [ACTION],
        )
    else:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s", [ACTION]
        )
    return {row[0] for row in cursor.fetchall()}


def trigger_names() -> set[str]:
    if connection.vendor == "postgresql":
        return {f"assistance_action_load_{op}" for op in PG_FUNCTIONS}
    return set(SQLITE_TRIGGERS)


def loads_install() -> bool:
    """Create the triggers that are missing; if any was, recount. Safe to run again.
    Returns whether anything was (re)created."""
    with transaction.atomic(), connection.cursor() as cursor:
        missing = trigger_names() - _installed(cursor)
        if not missing:
            return False
        if connection.vendor == "postgresql":
            for op, body in PG_FUNCTIONS.items():
                name = f"assistance_action_load_{op}"
                cursor.execute(
                    f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS "
                    f"$$ BEGIN {body} RETURN NULL; END $$"
                )
                cursor.execute(
                    f"CREATE OR REPLACE TRIGGER {name} AFTER {op.upper()} ON {ACTION} "
                    f"REFERENCING {PG_REFERENCING[op]} FOR EACH STATEMENT EXECUTE FUNCTION {name}()"
                )
        else:
            for sql in SQLITE_TRIGGERS.values():
                cursor.execute(sql)
        loads_rebuild()
    return True


def loads_rebuild() -> int:
    """Recount every load from the actions (after the triggers were missing)."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {LOAD}")
        cursor.execute(
            f"INSERT INTO {LOAD} ({KEY}, open_actions) SELECT department_id, "
            f"COALESCE(assignee_id, 0), due_date, COUNT(*) FROM {ACTION} "
            f"WHERE status IN {OPEN_SQL} GROUP BY department_id, COALESCE(assignee_id, 0), due_date"
        )
        return cursor.rowcount


def loads_uninstall() -> None:
    """Drop the triggers (migrating back before the load table)."""
    with connection.cursor() as cursor:
        for name in trigger_names():
            if connection.vendor == "postgresql":
                cursor.execute(f"DROP TRIGGER IF EXISTS {name} ON {ACTION}")
                cursor.execute(f"DROP FUNCTION IF EXISTS {name}()")
            else:
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")


def install_after_migrate(**_kwargs: Any) -> None:
    """`post_migrate` receiver: the triggers exist after every migrate (see the module doc),
    once the load table does."""
    if LOAD in connection.introspection.table_names():
        loads_install()
