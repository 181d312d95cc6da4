from django.contrib.auth.decorators import permission_required
from django.shortcuts import render

from clinic import dashboard


@permission_required("patients.view_patient", raise_exception=True)
def home(request):
    mine = request.GET.get("mine") == "1" and hasattr(request.user, "practitioner_profile")
    context = {
        "mine": mine,
        "scope": f"&practitioner={request.user.pk}" if mine else "",
        **dashboard.numbers(practitioner=request.user if mine else None),
    }
    return render(request, "clinic/home.html", context)
