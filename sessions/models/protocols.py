"""Protocols: a practitioner's named sets of points, added to a note in one action."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Prefetch, Q

from sessions.models.points import AcupuncturePoint, Side, side_error


class ProtocolQuerySet(models.QuerySet):
    def for_user(self, user):
        points = ProtocolPoint.objects.select_related("point").order_by("order", "id")
        return (
            self.filter(Q(owner=user) | Q(shared=True))
            .prefetch_related(Prefetch("points", queryset=points))
            .order_by("name", "id")
        )


class Protocol(models.Model):
    """A named set of points with sides: a practitioner's own, or shared with the clinic."""

    name = models.CharField(max_length=100)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="protocols"
    )
    shared = models.BooleanField("shared with the clinic", default=True)
    notes = models.TextField(blank=True)

    objects = ProtocolQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "name"], name="protocol_name_per_owner"),
            models.CheckConstraint(condition=~Q(name=""), name="protocol_name_set"),
        ]

    def __str__(self):
        return self.name


class ProtocolPoint(models.Model):
    protocol = models.ForeignKey(Protocol, on_delete=models.CASCADE, related_name="points")
    point = models.ForeignKey(AcupuncturePoint, on_delete=models.PROTECT, related_name="+")
    side = models.CharField(max_length=1, choices=Side)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["protocol", "point", "side"], name="protocolpoint_once_per_side"
            ),
            models.CheckConstraint(
                condition=Q(side__in=["L", "R", "B", "M"]), name="protocolpoint_side_valid"
            ),
        ]

    def __str__(self):
        return f"{self.point.code} {self.get_side_display().lower()}"

    def clean(self):
        if self.point_id and (error := side_error(self.point, self.side)):
            raise ValidationError({"side": error})
