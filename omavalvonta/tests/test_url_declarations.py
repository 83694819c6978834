"""Every view declares its access: a permission (`@requires`) or, in the public
app only, `@public_view`. A view that declares nothing fails this test."""

from django.urls import URLPattern, URLResolver, get_resolver

# Django admin (staff only, guarded by its own admin_view wrapper) lives here.
DJANGO_ADMIN_ROUTE = "django-admin/"

# Third-party views with their own, reviewed access handling.
THIRD_PARTY_PREFIXES = (
    "allauth.",  # sign-in, MFA: allauth marks what is reachable without login
    "django.contrib.admin.",  # Django admin: staff-only by its own checks
    "django.views.i18n",  # language switch
    "django.views.static",  # media in DEBUG only
    # allauth's OpenID Connect sign-in and callback, only checking the id token's
    # signature always (reachable without login, as allauth's own sign-in views).
    "omavalvonta.organisation.sso._adapter_view.",
)
# allauth's old social-account addresses, which only redirect to the new ones.
ALLAUTH_REDIRECT_ROUTE = "accounts/social/"


def _walk(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _walk(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), p.callback


def _module(callback):
    view_class = getattr(callback, "view_class", None)
    target = view_class or callback
    return f"{target.__module__}.{getattr(target, '__qualname__', '')}"


def test_every_project_view_declares_its_permission():
    undeclared = []
    for route, callback in _walk(get_resolver().url_patterns):
        module = _module(callback)
        if module.startswith(THIRD_PARTY_PREFIXES) or route.startswith((DJANGO_ADMIN_ROUTE, ALLAUTH_REDIRECT_ROUTE)):
            continue
        if not (getattr(callback, "access_permission", None) or getattr(callback, "access_public", False)):
            undeclared.append(f"{route} -> {module}")
    assert undeclared == [], "Views without an access declaration:\n" + "\n".join(undeclared)


def test_only_the_public_app_has_views_without_login():
    misplaced = [
        f"{route} -> {_module(cb)}"
        for route, cb in _walk(get_resolver().url_patterns)
        if getattr(cb, "access_public", False) and not _module(cb).startswith("omavalvonta.public.")
    ]
    assert misplaced == []


def test_the_walk_sees_the_project_views():
    # Guard against a walk that silently finds nothing.
    modules = {_module(cb) for _, cb in _walk(get_resolver().url_patterns)}
    assert any(m.startswith("omavalvonta.deviations.views.") for m in modules)
    assert any(m.startswith("omavalvonta.public.views.") for m in modules)
