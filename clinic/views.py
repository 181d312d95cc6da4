from django.contrib.auth.decorators import permission_required
from django.shortcuts import render

from patients.models import Patient


@permission_required("patients.view_patient", raise_exception=True)
def home(request):
    counts = Patient.objects.counts_by_status()
    current = sum(n for status, n in counts if status != Patient.Status.ARCHIVED)
    context = {"counts": counts, "current": current}
    return render(request, "clinic/home.html", context)
