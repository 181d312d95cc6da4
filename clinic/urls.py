from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from ops.views import healthz
from patients import urls as patient_urls
from patients.views.checkins import checkin, checkin_thanks
from patients.views.reminders import unsubscribe
from sessions.views.export import export
from sessions.views.points import point_search
from staff import two_factor
from staff.forms import QueuedPasswordResetForm

# The export holds readings and sessions, so it is the sessions app's, at the patients' URL.
patient_pages = patient_urls.urlpatterns + [path("export/", export, name="export")]

urlpatterns = [
    path("", include("dashboard.urls")),
    path("patients/", include((patient_pages, patient_urls.app_name))),
    path("patients/<uuid:patient_uuid>/sessions/", include("sessions.urls")),
    path("points/search/", point_search, name="point_search"),
    path("p/intake/", include("patients.public_urls")),
    path("p/checkin/<str:token>/", checkin, name="checkin"),
    path("p/checkin/<str:token>/thanks/", checkin_thanks, name="checkin_thanks"),
    path("p/reminders/<str:token>/stop/", unsubscribe, name="reminders_unsubscribe"),
    # Django's password reset, its email through the task queue.
    path(
        "accounts/password_reset/",
        auth_views.PasswordResetView.as_view(form_class=QueuedPasswordResetForm),
        name="password_reset",
    ),
    path("accounts/two-step/", two_factor.setup, name="two_factor_setup"),
    path("accounts/two-step/verify/", two_factor.verify, name="two_factor_verify"),
    path(
        "accounts/two-step/new-codes/",
        two_factor.new_recovery_codes,
        name="two_factor_new_codes",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
]
