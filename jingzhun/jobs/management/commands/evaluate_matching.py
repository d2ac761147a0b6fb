"""`jingzhun evaluate_matching`: hit rate@k and NDCG@k of the matcher on the graduated cohorts,
against a major-only baseline and chance (definitions in `jingzhun.jobs.evaluation`)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jingzhun.jobs.evaluation import RANKERS, RULES, matching_evaluate
from jingzhun.org.models import Institution
from jingzhun.students.demo.catalogue import INSTITUTION_CODE


class Command(BaseCommand):
    help = (
        "Rank today's postings for every graduate employed by an employer and report how often "
        "the postings closest to the real destination are in the first k (hit rate) and how "
        "high (NDCG), for the matcher, a major-only baseline and chance."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--institution", default=INSTITUTION_CODE,
                            help="institution code (default: the demo college)")  # fmt: skip
        parser.add_argument("--k", type=int, default=10, help="cut-off (default 10)")

    def handle(self, *args: Any, institution: str, k: int, **options: Any) -> None:
        found = Institution.objects.filter(code=institution).first()
        if found is None:
            raise CommandError(f"No institution with code {institution}.")
        if k < 1:
            raise CommandError("--k must be at least 1.")
        result = matching_evaluate(institution_id=found.pk, k=k)
        write = self.stdout.write
        write(f"{found.name}: {result.postings} postings in the pool, k = {k}")
        write(f"graduates employed by an employer: {result.graduates}; evaluated {result.evaluated} ("
              + ", ".join(f"{rule} {result.by_rule[rule]}" for rule in RULES)
              + f"); skipped {result.skipped} (no posting close to the destination)")  # fmt: skip
        if not result.evaluated:
            write("Nothing to evaluate: the pool holds no posting close to any destination.")
            return
        write(f"closest postings per graduate {result.closest_mean:.2f}; "
              f"candidates after the hard filters {result.candidates_mean:.0f}")  # fmt: skip
        write(f"{'ranker':<12} {'hit@' + str(k):>8} {'NDCG@' + str(k):>8}")
        for name in RANKERS:
            write(f"{name:<12} {result.hit[name]:>8.3f} {result.ndcg[name]:>8.3f}")
        write(
            "ties: expected over every order of tied scores; the same hard filters for every ranker"
        )
