from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q


class AcupunctureStyle(models.TextChoices):
    """Styles of acupuncture as STRICTA 2010 names them (CLINICAL.md section 6)."""

    TCM = "tcm", "Traditional Chinese medicine"
    JAPANESE = "japanese", "Japanese"
    KOREAN = "korean", "Korean"
    WESTERN = "western", "Western medical"
    FIVE_ELEMENT = "five_element", "Five Element"
    AURICULAR = "auricular", "Auricular"
    OTHER = "other", "Other"


class PractitionerProfile(models.Model):
    """A practitioner's background (STRICTA) and the defaults their session notes start from."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="practitioner_profile"
    )
    display_name = models.CharField(max_length=100)
    qualification = models.CharField(max_length=200, blank=True)
    years_in_practice = models.PositiveSmallIntegerField(default=0)
    default_needle_diameter_mm = models.DecimalField(
        "default needle diameter (mm)", max_digits=3, decimal_places=2, default=Decimal("0.25")
    )
    default_needle_length_mm = models.PositiveSmallIntegerField(
        "default needle length (mm)", default=40
    )
    default_retention_minutes = models.PositiveSmallIntegerField(default=20)
    acupuncture_style = models.CharField(
        max_length=20, choices=AcupunctureStyle, default=AcupunctureStyle.TCM
    )

    class Meta:
        # The table keeps the name it had when this model lived in the clinic app.
        db_table = "clinic_practitionerprofile"
        constraints = [
            models.CheckConstraint(
                condition=~Q(display_name=""), name="practitionerprofile_display_name_set"
            ),
            models.CheckConstraint(
                condition=Q(years_in_practice__lte=70), name="practitionerprofile_years_range"
            ),
            models.CheckConstraint(
                condition=Q(default_needle_diameter_mm__gte=Decimal("0.10"))
                & Q(default_needle_diameter_mm__lte=Decimal("0.50")),
                name="practitionerprofile_needle_diameter_range",
            ),
            models.CheckConstraint(
                condition=Q(default_needle_length_mm__gte=5) & Q(default_needle_length_mm__lte=150),
                name="practitionerprofile_needle_length_range",
            ),
            models.CheckConstraint(
                condition=Q(default_retention_minutes__gte=1)
                & Q(default_retention_minutes__lte=120),
                name="practitionerprofile_retention_range",
            ),
            models.CheckConstraint(
                condition=Q(acupuncture_style__in=AcupunctureStyle.values),
                name="practitionerprofile_style_valid",
            ),
        ]

    def __str__(self):
        return self.display_name

    @property
    def default_needle(self):
        return f"{self.default_needle_diameter_mm} x {self.default_needle_length_mm} mm"
