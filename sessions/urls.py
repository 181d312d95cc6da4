from django.urls import path

from sessions.views import edit, notes

app_name = "sessions"
urlpatterns = [
    path("new/", edit.session_new, name="new"),
    path("<uuid:session>/", notes.session_detail, name="detail"),
    path("<uuid:session>/edit/", edit.session_edit, name="edit"),
    path("<uuid:session>/sign/", notes.session_sign, name="sign"),
    path("<uuid:session>/amend/", notes.session_amend, name="amend"),
    path("<uuid:session>/print/", notes.session_print, name="print"),
]
