from django.contrib.auth.decorators import permission_required
from django.shortcuts import render

from clinic import dashboard
from patients.models import Patient


@permission_required("patients.view_patient", raise_exception=True)
def home(request):
    mine = request.GET.get("mine") == "1" and hasattr(request.user, "practitioner_profile")
    patients = Patient.objects.all()
    if mine:
        patients = patients.filter(practitioner=request.user)
    context = {
        "mine": mine,
        "scope": f"&practitioner={request.user.pk}" if mine else "",
        **dashboard.numbers(patients),
    }
    return render(request, "clinic/home.html", context)
