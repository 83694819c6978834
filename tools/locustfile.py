"""The load of `make load` (tools/load.py starts locust headless with this file).

One simulated visitor alternates, with equal weights and no pauses, between the
public pages (as an anonymous reader: their own cookie-less session) and a
signed-in staff member's pages (a session made by tools/load.py). The trivial
signed-in page /oma/ is measured in the same run, as the baseline of the ratios.

Each task is tagged ("public" and its page: front, plans_index, plan_page,
feedback_form; "staff", with trivial and home), so that `load.py --tags` runs
a part of the load and `--each` one page at a time.

Environment (set by tools/load.py): LOAD_SESSION_COOKIE, LOAD_SESSION,
LOAD_UNIT_ID, LOAD_UNIT_SLUG, LOAD_DEVIATION_IDS (comma-separated).
"""

import datetime as dt
import os
import random
import re

from locust import HttpUser, constant, tag, task
from locust.clients import HttpSession

SESSION_COOKIE = os.environ.get("LOAD_SESSION_COOKIE", "sessionid")
SESSION = os.environ.get("LOAD_SESSION", "")
UNIT_ID = os.environ.get("LOAD_UNIT_ID", "")
UNIT_SLUG = os.environ.get("LOAD_UNIT_SLUG", "")
DEVIATION_IDS = [i for i in os.environ.get("LOAD_DEVIATION_IDS", "").split(",") if i]
HEADERS = {"Accept-Language": "fi"}


class Visitor(HttpUser):
    wait_time = constant(0)

    def on_start(self):
        self.client.headers.update(HEADERS)
        self.client.cookies.set(SESSION_COOKIE, SESSION)
        self.public = HttpSession(base_url=self.host, request_event=self.environment.events.request, user=self)
        self.public.headers.update(HEADERS)
        self.rng = random.Random()

    # --- public pages (no sign-in) ---------------------------------------------------

    @task
    @tag("public", "front")
    def public_front_page(self):
        self.public.get("/julkinen/", name="public: front page")

    @task
    @tag("public", "plans_index")
    def public_plans_index(self):
        self.public.get("/julkinen/yksikot/", name="public: plans index")

    @task
    @tag("public", "plan_page")
    def public_unit_plans(self):
        if UNIT_SLUG:
            self.public.get(f"/julkinen/yksikot/{UNIT_SLUG}/", name="public: a unit's plan page")

    @task
    @tag("public", "feedback_form")
    def public_feedback_form(self):
        self.public.get("/julkinen/palaute/", name="public: feedback form")

    # --- signed-in staff ----------------------------------------------------------------

    @task
    @tag("staff", "trivial")
    def trivial(self):
        self.client.get("/oma/", name="staff: trivial page /oma/ (baseline)")

    @task
    @tag("staff", "home")
    def home(self):
        self.client.get("/", name="staff: home")

    @task
    @tag("staff")
    def deviation_list(self):
        self.client.get("/poikkeamat/", name="staff: deviation list")

    @task
    @tag("staff")
    def action_list(self):
        self.client.get("/kehittaminen/toimenpiteet/", name="staff: action list")

    @task
    @tag("staff")
    def deviation_detail(self):
        if DEVIATION_IDS:
            pk = self.rng.choice(DEVIATION_IDS)
            self.client.get(f"/poikkeamat/{pk}/", name="staff: deviation detail")

    @task
    @tag("staff")
    def submit_report(self):
        form = self.client.get("/poikkeamat/uusi/", name="staff: report form")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text or "")
        if not token:
            return
        occurred = (dt.datetime.now() - dt.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
        data = {
            "csrfmiddlewaretoken": token.group(1), "unit": UNIT_ID, "kind": "quality", "occurred_at": occurred,
            "location": "Olohuone", "description": "Sovittu tapaaminen peruuntui. (make load)",
            "immediate_actions": "Uusi aika sovittiin.", "affected_child": "on",
        }
        with self.client.post("/poikkeamat/uusi/", data=data, name="staff: submit report (POST)",
                              allow_redirects=False, catch_response=True) as response:
            if response.status_code != 302:
                response.failure(f"expected a redirect, got {response.status_code}")
