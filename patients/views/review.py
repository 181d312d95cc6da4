"""Practitioners review submitted intakes: red flags first, then accept."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from audit import trail
from audit.models import AuditEvent
from core.transactions import retry_on_conflict
from patients.access import get_patient_for_user
from patients.actions import accept_intake
from patients.forms import RedFlagReviewForm
from patients.intake_summary import readable_sections, summarise
from patients.models import Intake, RedFlagReview


@permission_required("patients.view_intake", raise_exception=True)
def intake_queue(request):
    page = Paginator(Intake.objects.review_queue(), 25).get_page(request.GET.get("page"))
    trail.record_shown(
        AuditEvent.Action.LIST, page.object_list, detail=f"intakes to review: page {page.number}"
    )
    return render(
        request, "patients/intake_queue.html", {"intakes": page.object_list, "page": page}
    )


def get_intake(request, patient_uuid, intake_id, perm="patients.view_intake"):
    patient = get_patient_for_user(request, patient_uuid, perm=perm)
    intake = get_object_or_404(
        Intake.objects.select_related("consent_version", "red_flag_review__reviewed_by"),
        pk=intake_id,
        patient=patient,
    )
    intake.patient = patient  # the one fetched and checked, not a second query for it
    return intake


def render_review(request, intake, review_form=None, status=200):
    summary = summarise(intake)
    context = {
        "patient": intake.patient,
        "intake": intake,
        "summary": summary,
        "sections": readable_sections(intake.answers, age=summary.age),
        "review_form": review_form
        or RedFlagReviewForm(instance=RedFlagReview.for_intake(intake, request.user)),
    }
    return render(request, "patients/intake_review.html", context, status=status)


def intake_review(request, patient_uuid, intake_id):
    return render_review(request, get_intake(request, patient_uuid, intake_id))


@require_POST
@retry_on_conflict
def review_red_flags(request, patient_uuid, intake_id):
    intake = get_intake(request, patient_uuid, intake_id, perm="patients.change_intake")
    if not intake.needs_red_flag_review:
        return redirect("patients:intake", patient_uuid=intake.patient.uuid, intake_id=intake.pk)
    review = RedFlagReview.for_intake(intake, request.user)
    form = RedFlagReviewForm(request.POST, instance=review)
    if not form.is_valid():
        return render_review(request, intake, form, status=400)
    form.save()
    messages.success(request, "Red flag review recorded.")
    return redirect("patients:intake", patient_uuid=intake.patient.uuid, intake_id=intake.pk)


@require_POST
@retry_on_conflict
def accept(request, patient_uuid, intake_id):
    intake = get_intake(request, patient_uuid, intake_id, perm="patients.change_intake")
    if intake.status != Intake.Status.SUBMITTED:
        messages.error(request, "Only a submitted intake can be accepted.")
    elif intake.patient.intakes.filter(status=Intake.Status.ACCEPTED).exists():
        messages.error(
            request,
            "This patient already has an accepted intake; this one is "
            "kept for reference and cannot be accepted as well.",
        )
    elif intake.needs_red_flag_review:
        messages.error(request, "Record the review of the red flags before accepting.")
    else:
        try:
            patient = accept_intake(intake, by=request.user)
        except ValidationError as error:
            problems = "; ".join(
                message for messages_ in error.message_dict.values() for message in messages_
            )
            messages.error(request, f"The intake cannot be accepted as it is: {problems}")
            return redirect(
                "patients:intake", patient_uuid=intake.patient.uuid, intake_id=intake.pk
            )
        messages.success(
            request,
            f"Intake accepted: {patient.full_name} is active, with "
            "baseline readings and safety flags from the intake.",
        )
        return redirect(patient)
    return redirect("patients:intake", patient_uuid=intake.patient.uuid, intake_id=intake.pk)
