from django.urls import path

from sessions import views

app_name = "sessions"
urlpatterns = [
    path("new/", views.session_new, name="new"),
    path("<uuid:session>/", views.session_detail, name="detail"),
    path("<uuid:session>/edit/", views.session_edit, name="edit"),
    path("<uuid:session>/sign/", views.session_sign, name="sign"),
    path("<uuid:session>/amend/", views.session_amend, name="amend"),
    path("<uuid:session>/print/", views.session_print, name="print"),
]
