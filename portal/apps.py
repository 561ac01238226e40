from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Accounts and site")

    def ready(self):
        from allauth.mfa import signals as mfa_signals
        from allauth.mfa.models import Authenticator
        from django.contrib.auth.signals import user_logged_in
        from django.db.models.signals import post_save

        from .signin import mfa, sessions

        user_logged_in.connect(sessions.start_session, dispatch_uid="portal.signin.start")
        post_save.connect(
            mfa.record_mfa_on_enrolment, sender=Authenticator, dispatch_uid="portal.mfa.enrol"
        )
        mfa_signals.authenticator_added.connect(mfa.log_authenticator_added)
        mfa_signals.authenticator_removed.connect(mfa.log_authenticator_removed)
        mfa_signals.authenticator_used.connect(mfa.log_authenticator_used)
        mfa_signals.authentication_failed.connect(mfa.log_authentication_failed)
        self.connect_page_cache()

    def connect_page_cache(self):
        """What visitors' cached pages show (portal/pagecache.py): a change to any of these
        makes every cached page stale at once."""
        from django.apps import apps

        from . import pagecache

        shown = [
            *apps.get_app_config("notices").get_models(),  # notices, images, topics, guides…
            *(
                apps.get_model("neighborhoods", name)
                for name in (
                    "Activity", "SignUp", "Centre", "StarRating", "OperatingContract",
                    "SocialOrganisation", "Project", "Award", "Neighbourhood", "Subdistrict",
                    "District", "Facility",
                )
            ),
        ]  # fmt: skip
        pagecache.connect_signals(shown)
