from django.contrib.auth.decorators import permission_required
from django.db.models import Count, Q
from django.shortcuts import render

from patients.models import Intake, Patient


@permission_required("patients.view_patient", raise_exception=True)
def home(request):
    counts = Patient.objects.counts_by_status()
    current = sum(n for status, n in counts if status != Patient.Status.ARCHIVED)
    waiting = Intake.objects.filter(status=Intake.Status.SUBMITTED).aggregate(
        total=Count("id"), urgent=Count("id", filter=Q(urgent=True))
    )
    context = {"counts": counts, "current": current, "waiting": waiting}
    return render(request, "clinic/home.html", context)
