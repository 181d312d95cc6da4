from decimal import Decimal

from django.contrib.auth.decorators import permission_required
from django.shortcuts import render

from patients.models import PatientSummary

# Baeumler et al., BMJ Open 2021;11:e045961: any adverse event in 7.57 % of treatments.
LITERATURE_AE_PER_100 = Decimal("7.57")


@permission_required("patients.view_patient", raise_exception=True)
def home(request):
    mine = request.GET.get("mine") == "1" and hasattr(request.user, "practitioner_profile")
    context = {
        "mine": mine,
        "scope": f"&practitioner={request.user.pk}" if mine else "",
        **PatientSummary.objects.for_dashboard(practitioner=request.user if mine else None),
        "ae_literature": LITERATURE_AE_PER_100,
    }
    return render(request, "dashboard/home.html", context)
