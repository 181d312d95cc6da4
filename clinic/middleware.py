"""Headers the app's own responses carry."""

from django.utils.cache import add_never_cache_headers


class NeverCacheMiddleware:
    """No browser or shared cache keeps a page: `Cache-Control: no-store, private`.

    Every response that gets here says so. Static files never do (whitenoise answers them
    before this middleware, with its far-future cache headers); what remains shows patient
    data (the staff pages, the patients' link pages, the CSV export) or is a login or error
    page that gains nothing from a cache. One rule for all is one that no new page can miss.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        add_never_cache_headers(response)
        return response
