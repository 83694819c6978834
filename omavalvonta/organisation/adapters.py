from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    """Accounts are created by administrators in the product; nobody signs up."""

    def is_open_for_signup(self, request):
        return False
