"""Campus-behaviour features into the registry: compute them from the event lake once per
build, match card holders to students, train and apply the hidden-hardship model where aid
decisions exist to learn from, and store it all as the next immutable snapshot version.

Identification pulls the newest snapshot through `jingzhun.behaviour.selectors` (rules and
the risk model see its columns; the hidden-hardship candidates become economic signals for a
person to confirm).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import logging
import math
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

import pandas as pd
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jingzhun.behaviour import permissions
from jingzhun.behaviour.errors import BehaviourErrorCode
from jingzhun.behaviour.lake import event_lake
from jingzhun.core.audit import audit_log
from jingzhun.core.bulk import insert_rows
from jingzhun.core.errors import DomainError
from jingzhun.core.jobs import Progress
from jingzhun.core.models import AuditLog
from jingzhun.data import hardship, hardship_artifact
from jingzhun.data.backends import connect
from jingzhun.data.events import CARD, DORM, JOBS, LIBRARY, Lake, read_events
from jingzhun.data.features import (
    KEYS,
    CardFeatureParams,
    card_features,
    combine_features,
    dorm_features,
    job_features,
    library_features,
)
from jingzhun.data.hardship_evaluation import cross_validate
from jingzhun.data.periods import DEFAULT_CALENDAR
from jingzhun.org.models import Institution, RoleAssignment
from jingzhun.students.models import (
    BehaviourFeatures,
    BehaviourSnapshot,
    FamilyEconomicStatus,
    Student,
)

logger = logging.getLogger(__name__)

ID, PERIOD = KEYS
# The assessed hardship levels as the model's aid classes (一般困难 / 困难 / 特别困难).
LEVEL_CLASSES = {"none": 0, "somewhat": 1000, "difficult": 1500, "special": 2000}
MIN_LABELLED, MIN_AIDED = 40, 10
CANDIDATE_SCORE = 0.5
"""Unassessed students scoring at least this (P(any aid class)) are proposed for a look."""
MAX_CANDIDATE_SHARE = 0.05
"""…but never more than this share of the term's students: the aid office reviews them."""


def _feature_table(lake: Lake, params: CardFeatureParams) -> pd.DataFrame:
    con, calendar = connect("duckdb"), DEFAULT_CALENDAR
    try:
        tables = [card_features(read_events(con, lake, CARD), params, calendar=calendar)]
        if lake.part_files(LIBRARY.name):
            tables.append(library_features(read_events(con, lake, LIBRARY), calendar=calendar))
        if lake.part_files(JOBS.name):
            tables.append(job_features(read_events(con, lake, JOBS), calendar=calendar))
        if lake.part_files(DORM.name):
            tables.append(dorm_features(read_events(con, lake, DORM), calendar=calendar))
        frame = con.execute(combine_features(tables))
    finally:
        con.disconnect()
    return frame


# Labels of the non-card sources' columns (the card's come with the hardship model's).
SOURCE_LABELS = {
    "library_loans": hardship.FeatureLabel("借阅图书", "{:.0f} 本"),
    "library_distinct_books": hardship.FeatureLabel("借阅不同图书", "{:.0f} 种"),
    "library_loan_days": hardship.FeatureLabel("有借阅的天数", "{:.0f} 天"),
    "job_logins": hardship.FeatureLabel("就业平台登录", "{:.0f} 次"),
    "job_resume_updates": hardship.FeatureLabel("更新简历", "{:.0f} 次"),
    "job_applications": hardship.FeatureLabel("投递简历", "{:.0f} 份"),
    "job_active_days": hardship.FeatureLabel("就业平台活跃天数", "{:.0f} 天"),
    "dorm_entries": hardship.FeatureLabel("进入宿舍", "{:.0f} 次"),
    "dorm_late_entries": hardship.FeatureLabel("晚归（23 点后回宿舍）", "{:.0f} 次"),
    "dorm_days": hardship.FeatureLabel("有门禁记录的天数", "{:.0f} 天"),
}


def _columns(frame: pd.DataFrame, params: CardFeatureParams) -> list[dict[str, str]]:
    labels = hardship.feature_labels(params) | SOURCE_LABELS
    names = [c for c in frame.columns if c not in KEYS]
    return [{"name": n, "label": labels[n].name if n in labels else n,
             "format": labels[n].value_format if n in labels else "{:g}"} for n in names]  # fmt: skip


def _labels(institution: Institution) -> pd.Series:
    """Each student's latest assessed level as an aid class (the model's training labels)."""
    rows = (
        FamilyEconomicStatus.objects.filter(student__institution=institution)
        .order_by("student_id", "academic_year")
        .values_list("student_id", "level")
    )
    latest = dict(rows.iterator())  # ordered by year: the last one wins
    return pd.Series(
        {s: LEVEL_CLASSES[level] for s, level in latest.items() if level in LEVEL_CLASSES}
    )


def _hardship(
    latest: pd.DataFrame, labels: pd.Series, params: CardFeatureParams
) -> tuple[pd.Series, pd.Series, dict[str, Any], bytes | None]:
    """Scores and reasons for the students of `latest` (one row each, by student pk)."""
    empty = pd.Series(dtype=float), pd.Series(dtype=object)
    labelled = latest.loc[latest.index.intersection(labels.index)]
    y = labels.loc[labelled.index].astype(int)
    if len(labelled) < MIN_LABELLED or int((y > 0).sum()) < MIN_AIDED or y.nunique() < 2:
        return (
            *empty,
            {
                "skipped": _("Too few assessed students to learn from (%(n)s).")
                % {"n": len(labelled)}
            },
            None,
        )
    model = hardship.fit_hardship(labelled, y, population=latest, card_params=params)
    scores = hardship.hardship_probability(model, latest)
    model_scores, baseline, folds, notes = cross_validate(labelled, y, folds=5)
    unassessed = latest.index.difference(labels[labels > 0].index)
    pool = scores.loc[unassessed]
    limit = max(1, math.floor(len(latest) * MAX_CANDIDATE_SHARE))
    chosen = pool[pool >= CANDIDATE_SCORE].sort_values(ascending=False, kind="stable").index[:limit]
    reasons = pd.Series(
        {int(c.student_id): "；".join(r.text for r in c.reasons)
         for c in hardship.explain(model, latest.loc[chosen])}, dtype=object,
    )  # fmt: skip
    metrics = {
        "labelled": len(labelled), "aided": int((y > 0).sum()), "folds": folds, "notes": notes,
        "model": asdict(model_scores), "baseline": asdict(baseline), "candidates": len(chosen),
        "candidate_score": CANDIDATE_SCORE,
    }  # fmt: skip
    return scores, reasons, metrics, hardship_artifact.artifact_bytes(model)


def _sources(lake: Lake) -> list[dict[str, Any]]:
    """What the snapshot read, per source: the imports the manifest lists and a digest of the
    part files (names and sizes), so two snapshots can be told apart by their inputs."""
    imports = lake.entries()
    described = []
    for source in (CARD, LIBRARY, JOBS, DORM):
        files = sorted(lake.part_files(source.name))
        if not files:
            continue
        digest = hashlib.sha256()
        for path in files:
            digest.update(f"{path.relative_to(lake.root)}:{path.stat().st_size}\n".encode())
        described.append({
            "source": source.name, "files": len(files), "digest": digest.hexdigest(),
            "imports": [{"sha256": e.sha256, "file": e.file_name, "rows": e.rows} for e in imports if e.source == source.name],
        })  # fmt: skip
    return described


def _json_values(row: dict[str, Any]) -> str:
    clean = {k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in row.items()}
    return json.dumps(clean, ensure_ascii=False)


def _audit(actor: RoleAssignment | None, snapshot: BehaviourSnapshot) -> None:
    audit_log(
        actor=actor.user if actor is not None else None,
        action=AuditLog.Action.CREATE,
        target=snapshot,
        role=actor.role if actor is not None else "",
        detail={"behaviour_snapshot": snapshot.version, "students": snapshot.students,
                "unmatched": snapshot.unmatched, "hardship_version": snapshot.hardship_version},
    )  # fmt: skip


BUILD_STEPS = (
    gettext_lazy("Reading the campus-card events"),
    gettext_lazy("Matching card holders to students"),
    gettext_lazy("Training the hidden-hardship model"),
    gettext_lazy("Saving the snapshot"),
)


def _step(progress: Progress | None, index: int) -> None:
    if progress is not None:
        progress.step(BUILD_STEPS[index], total=len(BUILD_STEPS))
        progress.set(index)


def behaviour_snapshot_build(
    *,
    actor: RoleAssignment | None,
    institution: Institution,
    as_of: dt.date,
    lake_root: str | Path | None = None,
    params: CardFeatureParams | None = None,
    progress: Progress | None = None,
) -> BehaviourSnapshot:
    """Compute, match, score and store the next snapshot; all of it or nothing.

    `actor`: the employment office of `institution`, or None when an operator's command or
    the demo seeder runs it (no person acts). `lake_root`: a command's `--lake`, else the
    event lake setting.

    The slow part (reading the lake, training and cross-validating the hardship model) only
    reads, outside any transaction: with SQLite's IMMEDIATE transactions a transaction takes
    the write lock when it begins, and every request writing its session would wait on it.
    Only the writes (version number, snapshot row, artifact file, feature rows) run in one
    short transaction."""
    if actor is not None:
        permissions.require(permissions.can_manage_behaviour(actor))
        permissions.require_institution(actor, institution.pk)
    started = time.perf_counter()
    params = params or CardFeatureParams()
    lake = event_lake(lake_root)
    if not lake.part_files(CARD.name):
        raise DomainError(
            BehaviourErrorCode.NO_EVENTS, _("The event lake holds no campus-card data.")
        )
    _step(progress, 0)
    frame = _feature_table(lake, params)
    frame = frame[frame[PERIOD] <= DEFAULT_CALENDAR.term_on(as_of)]
    _step(progress, 1)
    # All the institution's numbers: one query, no parameter list as long as the card holders.
    numbers = dict(
        Student.objects.filter(institution=institution).values_list("student_number", "pk")
    )
    frame["student_pk"] = frame[ID].astype(str).map(numbers)
    unmatched = int(frame.loc[frame["student_pk"].isna(), ID].nunique())
    frame = frame.dropna(subset=["student_pk"]).astype({"student_pk": "int64"})
    columns = _columns(frame.drop(columns=["student_pk"]), params)
    names = [c["name"] for c in columns]
    newest = frame.sort_values(PERIOD).groupby("student_pk").tail(1).set_index("student_pk")
    latest_term, latest = newest[PERIOD], newest[names].astype(float)
    _step(progress, 2)
    scores, reasons, metrics, artifact = _hardship(latest, _labels(institution), params)
    _step(progress, 3)
    sources = _sources(lake)
    students = int(frame["student_pk"].nunique())
    records = frame[["student_pk", PERIOD, *names]].to_dict("records")
    del frame, newest, latest

    def rows(snapshot_id: int) -> Any:
        for record in records:
            student, term = int(record.pop("student_pk")), record.pop(PERIOD)
            current = latest_term.get(student) == term
            score = float(scores[student]) if current and student in scores.index else None
            yield {"snapshot_id": snapshot_id, "student_id": student, "term": term,
                   "values": _json_values(record), "hardship_score": score,
                   "hardship_reasons": reasons.get(student, "") if current else ""}  # fmt: skip

    stored: BehaviourSnapshot | None = None
    try:
        with transaction.atomic():
            # Two builds at once would pick the same number; the unique (institution,
            # version) constraint then refuses the second, which rolls back whole.
            version = (
                BehaviourSnapshot.objects.filter(institution=institution).aggregate(
                    v=Max("version")
                )["v"]
                or 0
            ) + 1
            snapshot = BehaviourSnapshot.objects.create(
                institution=institution, version=version, as_of=as_of,
                created_by=actor.user if actor is not None else None,
                sources=sources, params=asdict(params), columns=columns, students=students,
                unmatched=unmatched, hardship_metrics=metrics,
                hardship_version=f"hardship-{timezone.now():%Y%m%dT%H%M%SZ}-v{version}" if artifact else "",
            )  # fmt: skip
            if artifact:
                snapshot.hardship_artifact.save(
                    f"{snapshot.hardship_version}.zip", ContentFile(artifact), save=False
                )
                stored = snapshot
            insert_rows(BehaviourFeatures, rows(snapshot.pk))
            snapshot.duration_ms = int((time.perf_counter() - started) * 1000)
            snapshot.save()
            _audit(actor, snapshot)
    except BaseException:
        # The row naming the artifact was rolled back: remove the file. Should that fail too
        # (or a caller's outer transaction roll back after we return), the file is an orphan
        # no row names and nothing lists; harmless, and its name (time, version) is not reused.
        if stored is not None:
            with contextlib.suppress(OSError):
                stored.hardship_artifact.delete(save=False)
        raise
    logger.info(
        "Behaviour snapshot %s: %s students, %s unmatched", snapshot, snapshot.students, unmatched
    )
    return snapshot
