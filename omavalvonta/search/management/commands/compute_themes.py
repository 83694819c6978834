"""Compute the themes across units now (the worker's job `search.themes` does
it daily): every scope, or one region's."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from omavalvonta.search.services import PERIOD_DAYS, themes_compute


class Command(BaseCommand):
    help = "Group the deviations of the last period into themes across units (every scope, or --region ID)."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=PERIOD_DAYS, help="the period's length in days (default 90)")
        parser.add_argument("--region", type=int, default=None, help="one region's id (default: every scope)")
        parser.add_argument("--today", type=dt.date.fromisoformat, default=None, help="the period's last day (YYYY-MM-DD)")

    def handle(self, *args, days, region, today, **options):
        if days < 1 or days > 3660:
            raise CommandError("--days must be between 1 and 3660.")
        runs = themes_compute(today=today, days=days, region_id=region)
        for run in runs:
            self.stdout.write(
                f"{run.region_id or 'organisation'}: {run.period_start}–{run.period_end}, "
                f"{run.deviations} reports, {run.themes.count()} themes"
            )
