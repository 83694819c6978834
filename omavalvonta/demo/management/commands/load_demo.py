"""`manage.py load_demo`: build the living demo organisation (see demo/builder.py)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from omavalvonta.demo import (
    builder,
    clients as clients_demo,
    complaints as complaints_demo,
    county as county_demo,
    feedback as feedback_demo,
    goal_prompts as goal_prompts_demo,
    learning_reviews as learning_demo,
    meetings as meetings_demo,
    outcomes as outcomes_demo,
    people as people_demo,
    plans as plans_demo,
    privacy as privacy_demo,
    restrictions as restrictions_demo,
    search as search_demo,
    yearclock as yearclock_demo,
)
from omavalvonta.deviations.report_counts import report_counts_compact


class Command(BaseCommand):
    help = (
        "Build the demo organisation Esimerkkikonserni Oy: 5 regions, 40 units, ~430 people and a year "
        "of deviations played through the services. Refuses when an organisation exists, unless --reset."
    )

    def add_arguments(self, parser):
        parser.add_argument("--reset", action="store_true", help="Wipe the existing demo data first.")
        parser.add_argument(
            "--small", action="store_true", help="A small organisation (3 regions, 4 units, 60 deviations), for tests."
        )
        parser.add_argument("--seed", type=int, default=2026, help="Random seed (default 2026).")
        parser.add_argument("--print-logins", action="store_true", help="Only print the demo sign-ins; build nothing.")

    def handle(self, *args, reset=False, small=False, seed=2026, print_logins=False, **options):
        if print_logins:
            self.print_logins()
            return
        if reset:
            try:
                builder.wipe()
            except builder.DemoExists as exc:
                raise CommandError(str(exc)) from None
            self.stdout.write("Removed the previous demo data.")
        self.stdout.write("Building the demo organisation...")
        try:
            result = builder.DemoBuilder(
                scale=builder.SMALL if small else builder.FULL, seed=seed, log=self.stdout.write
            ).build()
        except builder.DemoExists as exc:
            raise CommandError(
                f"The database already holds an organisation ({exc}). Nothing was changed. "
                "Run `manage.py load_demo --reset` to replace the demo data."
            ) from None
        # Before the plans: an approved plan keeps the staffing figures of its day.
        result.counts.update(people_demo.build(log=self.stdout.write))
        result.counts.update(feedback_demo.build(log=self.stdout.write))
        # Before the plans too: an approved good-treatment plan keeps the children's meetings of its day.
        result.counts.update(meetings_demo.build(log=self.stdout.write))
        result.counts.update(plans_demo.build(log=self.stdout.write))
        result.counts.update(yearclock_demo.build(log=self.stdout.write))
        result.counts.update(clients_demo.build(log=self.stdout.write))
        result.counts.update(outcomes_demo.build(log=self.stdout.write))
        result.counts.update(restrictions_demo.build(log=self.stdout.write))
        result.counts.update(complaints_demo.build(log=self.stdout.write))
        # After the complaints: the one answered in time steers the plan too.
        result.counts.update(goal_prompts_demo.build(log=self.stdout.write))
        result.counts.update(privacy_demo.build(log=self.stdout.write))
        result.counts.update(learning_demo.build(log=self.stdout.write))
        result.counts.update(county_demo.build(log=self.stdout.write))
        # Last: the themes read every deviation the demo made.
        result.counts.update(search_demo.build(log=self.stdout.write))
        # The reports' running counts summed, as the worker's hourly job keeps them.
        report_counts_compact()
        counts = ", ".join(f"{v} {k}" for k, v in result.counts.items())
        self.stdout.write(self.style.SUCCESS(f"Demo organisation built in {result.seconds:.1f} s: {counts}."))
        self.print_logins()

    def print_logins(self):
        rows = [("Rooli", "Sähköposti", "Salasana")] + [
            (description, email, builder.DEMO_PASSWORD) for _role, email, description in builder.DEMO_LOGINS
        ]
        county_login = county_demo.county_login_description()
        if county_login:
            # The purchasing county's person: their county's own view (/hyvinvointialue/).
            rows.append((county_login, county_demo.COUNTY_LOGIN_EMAIL, builder.DEMO_PASSWORD))
        widths = [max(len(r[i]) for r in rows) for i in range(3)]
        self.stdout.write(f"\nOmavalvonta: {settings.SITE_URL}/")
        self.stdout.write("Demo sign-ins (the password is for the demo data only):")
        for i, row in enumerate(rows):
            self.stdout.write("  " + "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())
            if i == 0:
                self.stdout.write("  " + "  ".join("-" * w for w in widths))
        if getattr(settings, "REQUIRE_MFA_FOR_PRIVILEGED", False):
            self.stdout.write(
                "Note: REQUIRE_MFA_FOR_PRIVILEGED is on, so directors, the administrator and the county person "
                "are asked to set up an authenticator app first. Set REQUIRE_MFA_FOR_PRIVILEGED=0 to click around without one."
            )
