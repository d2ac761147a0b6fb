"""Removes the demo college and everything that hangs off it, for `seed_demo --reset`.

Later stages (identification runs, cases, plans, pushes…) point at students, classes and
staff, often with PROTECT, and are written by other apps this module cannot know. So the
purge walks the reverse relations generically and deletes dependants first, whatever their
`on_delete` says: everything that depends on the demo institution or its accounts is demo
data. It deletes with set-based statements (a subquery per relation) because Django's
collector would load every row of a million-student demo into memory.
"""

from __future__ import annotations

from typing import Any

from django.db import connection, models, transaction
from django.db.models import Q

from jingzhun.org.models import Institution, User

_DELETE_WITH_PARENT = (models.CASCADE, models.PROTECT, models.RESTRICT)


def purge_demo(institution_code: str, usernames: tuple[str, ...]) -> int:
    """Delete the institution, its accounts and all their dependants; return rows deleted."""
    tables = frozenset(connection.introspection.table_names())
    with transaction.atomic():
        # Materialised first: once students are gone the query would no longer find the
        # student accounts.
        user_ids = list(
            User.objects.filter(
                Q(username__in=usernames) | Q(student__institution__code=institution_code)
            ).values_list("pk", flat=True)
        )
        deleted = purge(User.objects.filter(pk__in=user_ids), tables=tables)
        return deleted + purge(Institution.objects.filter(code=institution_code), tables=tables)


def purge(
    queryset: models.QuerySet[Any],
    *,
    tables: frozenset[str],
    _path: tuple[type[models.Model], ...] = (),
) -> int:
    """Delete the rows of `queryset` after their dependants (SET_NULL ones are detached).

    Models whose table is not in `tables` are skipped: a development database may lag
    behind another app's new migration, and a missing table holds no dependants. Relations
    back to a model already on the path (cycles) are left to the database's deferred
    constraint check at commit.
    """
    model = queryset.model
    path = (*_path, model)
    deleted = 0
    for relation in _reverse_relations(model):
        if relation.related_model._meta.db_table not in tables:
            continue
        field = relation.field
        dependants = relation.related_model._base_manager.filter(
            **{f"{field.name}__in": queryset.values(field.target_field.attname)}
        )
        on_delete = field.remote_field.on_delete
        if on_delete is models.SET_NULL:
            dependants.update(**{field.name: None})
        elif on_delete in _DELETE_WITH_PARENT and relation.related_model not in path:
            deleted += purge(dependants, tables=tables, _path=path)
    # QuerySet.delete() would fetch every row to run the collector; the dependants are
    # already handled above, so a plain DELETE is what is left to do.
    return deleted + (queryset._raw_delete(queryset.db) or 0)  # None for an empty `__in`


def _reverse_relations(model: type[models.Model]) -> list[Any]:
    """Reverse foreign keys and one-to-ones, including the hidden ones (M2M through rows)."""
    return [
        f
        for f in model._meta.get_fields(include_hidden=True)
        if f.auto_created and not f.concrete and (f.one_to_one or f.one_to_many)
    ]
