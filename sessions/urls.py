from django.urls import path

from sessions.views import edit, notes

app_name = "sessions"
urlpatterns = [
    path("new/", edit.session_new, name="new"),
    path("<uuid:session_uuid>/", notes.session_detail, name="detail"),
    path("<uuid:session_uuid>/edit/", edit.session_edit, name="edit"),
    path("<uuid:session_uuid>/sign/", notes.session_sign, name="sign"),
    path("<uuid:session_uuid>/amend/", notes.session_amend, name="amend"),
    path("<uuid:session_uuid>/print/", notes.session_print, name="print"),
]
