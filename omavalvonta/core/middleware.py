"""Framework-level middleware shared by every area."""

from django.utils.cache import patch_cache_control


class NoStoreMiddleware:
    """A page holds personal data unless its view says otherwise: a response
    without a Cache-Control header of its own gets `no-store, private`, so that
    neither a shared proxy nor the browser's disk keeps a copy (a shared computer
    in a children's home). The public pages that may be cached set their own
    header (`public, max-age=...`) and keep it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not response.has_header("Cache-Control"):
            patch_cache_control(response, no_store=True, private=True)
        return response
