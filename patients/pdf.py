"""The progress report as a PDF: WeasyPrint, through django-weasyprint.

WeasyPrint draws text with the Pango libraries (README, Quick start). On a server without
them, importing it raises OSError: then ReportPDF is None, and the report page offers the
browser's Print instead of the download, while everything else runs."""

import logging
from urllib.parse import urlparse

from django.conf import settings

logger = logging.getLogger(__name__)

try:
    from django_weasyprint.utils import DjangoURLFetcher
    from django_weasyprint.views import WeasyTemplateResponse
    from weasyprint.urls import URLFetchingError
except OSError as error:  # WeasyPrint is installed; a system library it loads is not
    logger.warning("PDF reports are off: WeasyPrint cannot load its libraries (%s)", error)
    ReportPDF = StaticFilesOnly = None
else:

    class StaticFilesOnly(DjangoURLFetcher):
        """What WeasyPrint may read for the report: the static files, from disk
        (django-weasyprint finds them, hashed names too), and nothing else, whatever the
        page links: no other file of the server's, no address on the network."""

        def fetch(self, url, headers=None):
            path = urlparse(url).path
            if (
                not url.startswith("file:")
                or not path.startswith(settings.STATIC_URL)
                or (".." in path or "%" in path)
            ):
                raise URLFetchingError(f"the report reads only static files, not {url}")
            return super().fetch(url, headers)

    class ReportPDF(WeasyTemplateResponse):
        url_fetcher_class = StaticFilesOnly
