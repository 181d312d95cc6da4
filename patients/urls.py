from django.urls import path

from patients import views

app_name = "patients"
urlpatterns = [
    path("", views.patient_list, name="list"),
    path("new/", views.patient_create, name="create"),
    path("<uuid:patient>/", views.patient_detail, name="detail"),
    path("<uuid:patient>/edit/", views.patient_edit, name="edit"),
    path("<uuid:patient>/safety/", views.patient_safety, name="safety"),
    path("<uuid:patient>/archive/", views.patient_archive, name="archive"),
    path("<uuid:patient>/restore/", views.patient_restore, name="restore"),
]
