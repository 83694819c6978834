"""Statutory notifications: to the purchasing county (§ 28/§ 29) and escalation to the supervisory authority."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _, ngettext

from omavalvonta.core.forms import posted_step
from omavalvonta.deviations import selectors, services
from omavalvonta.deviations.forms import NotificationForm, StatutoryNotificationForm
from omavalvonta.deviations.models import NotificationRecipient
from omavalvonta.organisation.access import (
    AUTHENTICATED,
    P_DEVIATION_NOTIFY,
    requires,
)

# --- Statutory notifications ---------------------------------------------------------------


@requires(AUTHENTICATED)
def deviation_notify(request, pk):
    actor = request.user
    deviation = selectors.deviation_get(actor=actor, pk=pk, perm=P_DEVIATION_NOTIFY, request=request)
    problems = []
    try:
        drafts = services.deviation_notification_drafts(actor=actor, deviation=deviation)
    except ValidationError as error:
        drafts, problems = [], error.messages
    children = selectors.deviation_children(actor=actor, deviation=deviation)
    counties = selectors.notification_counties(deviation=deviation, children=children)
    authority_draft = next((d for d in drafts if d.recipient_kind == NotificationRecipient.AUTHORITY), None)
    authority = selectors.default_authority() if authority_draft is not None else None
    missing = services.statutory_missing(deviation)
    form_args = {
        "counties": counties,
        "proposed_county_ids": children["county_ids"],
        "social_workers": [(key, name, email) for key, name, email, _county in children["contacts"]],
        "authority": authority,
        "authority_done": NotificationRecipient.AUTHORITY not in missing,
    }
    initial = {"subject": drafts[0].subject, "body": drafts[0].body} if drafts else {}
    duty = deviation.statutory_duty

    def page(form):
        return render(
            request,
            "deviations/notify.html",
            {
                "deviation": deviation,
                "form": form,
                "recipients": drafts,
                "problems": problems,
                "duty": duty,
                "children": children,
                "title": _("Notify the county and the supervisory authority")
                if duty is not None and duty.includes_authority
                else _("Notify the county"),
                "intro": _(
                    "The law requires the county that purchases the service, and its lead social-care "
                    "official, to be told without delay. Check the message: it must not name the child or "
                    "the reporter. One message is sent to every recipient you choose."
                ),
                "submit_label": _("Send the notification"),
                "choose_recipients": True,
            },
        )

    if request.method != "POST" or not drafts:
        return page(StatutoryNotificationForm(initial=initial, **form_args))
    form = StatutoryNotificationForm(request.POST, **form_args)
    return posted_step(
        request,
        form,
        lambda data: services.deviation_notify_county(
            actor=actor,
            deviation=deviation,
            subject=data["subject"],
            body=data["body"],
            counties=form.chosen_counties(),
            social_workers=data.get("social_workers", []),
            notify_authority=data.get("notify_authority", False),
        ),
        success=lambda sent: ngettext(
            "The notification was sent to %(count)d recipient.",
            "The notification was sent to %(count)d recipients.",
            len(sent),
        )
        % {"count": len(sent)},
        back=reverse("deviations:detail", args=[deviation.pk]),
        again=lambda: page(form),
    )


@requires(AUTHENTICATED)
def deviation_escalate(request, pk):
    actor = request.user
    deviation = selectors.deviation_get(actor=actor, pk=pk, perm=P_DEVIATION_NOTIFY, request=request)
    draft, draft_error = None, None
    try:
        draft = services.deviation_authority_draft(actor=actor, deviation=deviation)
    except ValidationError as error:
        draft_error = error
    problems = draft_error.messages if draft_error is not None else []
    refusal = services.authority_escalation_refusal(deviation)

    def page(form, **texts):
        return render(
            request,
            "deviations/notify.html",
            {"deviation": deviation, "form": form, "title": _("Escalate to the supervisory authority"), **texts},
        )

    if refusal is not None:
        # Nothing to send yet (or any more): say why, and never claim the
        # shortcoming went uncorrected before its deadline.
        return page(
            None,
            recipients=[],
            problems=[*problems, refusal],
            intro=_(
                "A shortcoming the county was notified of can be brought to the supervisory authority "
                "when it is not corrected by the correction date given to the county."
            ),
        )

    def sending(form):
        return page(
            form,
            recipients=[draft] if draft else [],
            problems=problems,
            intro=_(
                "The county was notified but the shortcoming was not corrected by the due date. "
                "The supervisory authority can now be told. Check the message before sending."
            ),
            submit_label=_("Send to the supervisory authority"),
        )

    if request.method != "POST":
        return sending(NotificationForm(initial={"subject": draft.subject, "body": draft.body} if draft else None))
    form = NotificationForm(request.POST)
    return posted_step(
        request,
        form,
        lambda data: services.deviation_escalate_to_authority(actor=actor, deviation=deviation, **data),
        success=_("The report was escalated to the supervisory authority."),
        back=reverse("deviations:detail", args=[deviation.pk]),
        again=lambda: sending(form),
    )
