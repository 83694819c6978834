from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    """Accounts are created by administrators in the product; nobody signs up."""

    def is_open_for_signup(self, request):
        return False


def axes_username(request, credentials):
    """The e-mail address axes locks on. allauth authenticates with
    {"email": ...}, but the form field is "login"; without this, axes records no
    username and one person's typos lock everyone behind the same IP address."""
    credentials = credentials or {}
    value = credentials.get("email") or credentials.get("login")
    if not value and request is not None:
        value = (getattr(request, "data", None) or request.POST).get("login")
    return (value or "").strip().lower() or None
