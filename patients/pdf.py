"""The progress report as a PDF: WeasyPrint, through django-weasyprint.

WeasyPrint draws text with the Pango libraries (README, Quick start). On a server without
them, importing it raises OSError: then report_pdf() is None, and the report page offers
the browser's Print instead of the download, while everything else runs.

WeasyPrint is imported on the first PDF or report page a process serves, not at start:
with its fonts and CSS parsers it is some 300 modules and 35,000 objects that every
garbage collection of every worker would walk again, which made the other pages several
per cent slower (docs/performance.md)."""

import functools
import logging
from urllib.parse import urlparse

from django.conf import settings

logger = logging.getLogger(__name__)


@functools.cache
def report_pdf():
    """The response class that renders the report as a PDF (ReportPDF), or None when
    WeasyPrint cannot load its libraries. Its url_fetcher_class is StaticFilesOnly."""
    try:
        from django_weasyprint.utils import DjangoURLFetcher
        from django_weasyprint.views import WeasyTemplateResponse
        from weasyprint.urls import URLFetchingError
    except OSError as error:  # WeasyPrint is installed; a system library it loads is not
        logger.warning("PDF reports are off: WeasyPrint cannot load its libraries (%s)", error)
        return None

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

    return ReportPDF
