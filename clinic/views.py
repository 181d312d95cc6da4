from django.contrib.auth.decorators import permission_required
from django.shortcuts import render

from patients.models import Patient


@permission_required("patients.view_patient", raise_exception=True)
def home(request):
    counts = Patient.objects.counts_by_status()
    context = {"counts": counts, "total": sum(n for _, n in counts)}
    return render(request, "clinic/home.html", context)
