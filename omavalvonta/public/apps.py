from django.apps import AppConfig


class PublicConfig(AppConfig):
    name = "omavalvonta.public"
    label = "public"

    def ready(self):
        from django.db.models.signals import post_save

        from omavalvonta.organisation.models import Region, Unit
        from omavalvonta.plans.models import FollowupReport, PlanVersion, ProgrammeVersion
        from omavalvonta.public.views.plans import forget_kept_pages

        def forget(**_kwargs):
            forget_kept_pages()

        # What the kept public pages show: the approved plans and programme, the
        # published reports, a unit's and a region's name.
        for model in (PlanVersion, ProgrammeVersion, FollowupReport, Unit, Region):
            post_save.connect(forget, sender=model, weak=False, dispatch_uid=f"public.forget.{model.__name__}")
