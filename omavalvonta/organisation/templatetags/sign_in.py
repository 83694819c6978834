"""The sign-in page's single sign-on: `{% sign_in_options as sign_in %}` gives
`sso_url` (None when single sign-on is not configured) and `password` (False
when the organisation turned password sign-in off)."""

from django import template

from omavalvonta.organisation.sso import password_sign_in_allowed, sso_enabled, sso_login_url

register = template.Library()


@register.simple_tag
def sign_in_options() -> dict:
    enabled = sso_enabled()
    return {"sso_url": sso_login_url() if enabled else None, "password": password_sign_in_allowed()}
