import re
import unicodedata

from django.db import models
from django.db.models import Case, IntegerField, Q, Value, When
from django.db.models.functions import Upper

# Legacy channel abbreviations still written on charts and in textbooks (CLINICAL.md 3).
CHANNEL_ALIASES = {
    "UB": "BL", "LV": "LR", "LIV": "LR", "SJ": "TE", "TW": "TE", "TH": "TE",
    "P": "PC", "HC": "PC", "HE": "HT", "DU": "GV", "REN": "CV",
}  # fmt: skip
EXTRA_GROUPS = ("HN", "CA", "B", "UE", "LE")
CODE_QUERY = re.compile(r"^([A-Z]+)(\d*)$")
SEARCH_LIMIT = 20
MIDLINE_CHANNELS = {"GV", "CV"}
PAIRED_CHANNELS = {
    "LU", "LI", "ST", "SP", "HT", "SI", "BL", "KI", "PC", "TE", "GB", "LR",
}  # fmt: skip


# Which limb a point is on, from its region (and, for extra points whose region is not a
# limb's, the group in their code): "arm", "leg" or "" for the trunk, head and ear. Derived
# here, not read from a catalogue column, so that any region the catalogue gains is simply
# not a limb.
LIMB_REGIONS = {"upper limb": "arm", "hand": "arm", "lower limb": "leg", "foot": "leg"}
LIMB_CODE_PREFIXES = {"EX-UE": "arm", "EX-LE": "leg"}


class Side(models.TextChoices):
    LEFT = "L", "Left"
    RIGHT = "R", "Right"
    BILATERAL = "B", "Bilateral"
    MIDLINE = "M", "Midline"


def side_error(point, side):
    """Why this side is wrong for this point, or None: GV and CV lie on the midline."""
    if point.channel in MIDLINE_CHANNELS and side != Side.MIDLINE:
        return f"{point.code} lies on the midline: choose midline."
    if point.channel in PAIRED_CHANNELS and side == Side.MIDLINE:
        return f"{point.code} is a paired point: choose left, right or bilateral."
    return None


def default_side(point):
    return Side.MIDLINE if point.channel in MIDLINE_CHANNELS else Side.BILATERAL


def fold(text):
    """Lower case, no tone marks, letters and digits only: 'Zú Sān Lǐ' -> 'zusanli'."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if ch.isalnum() and ch.isascii()).lower()


def code_prefix(query):
    """The canonical code a query names, or begins: 'liv 3' -> 'LR3', 'ex hn' -> 'EX-HN'."""
    match = CODE_QUERY.match(fold(query).upper())
    if not match:
        return None
    letters, digits = match.groups()
    if letters.startswith("EX"):
        group = letters[2:]
        if group and group not in EXTRA_GROUPS:
            return None
        return "EX-" + group + digits if group else "EX-"
    letters = CHANNEL_ALIASES.get(letters, letters)
    if letters not in AcupuncturePoint.Channel.values:
        return None
    return letters + digits


class AcupuncturePointQuerySet(models.QuerySet):
    def search(self, query):
        """Points for the picker: by code (legacy spellings too), pinyin or body region.

        An exact code comes first, then codes that begin with the query, then pinyin and
        region matches; at most SEARCH_LIMIT rows.
        """
        folded = fold(query)
        if not folded:
            return self.none()
        # A clinic's own codes (EAR-SHENMEN) are matched as typed; WHO codes canonically.
        prefix = code_prefix(query) or query.strip().upper()
        match = (
            Q(code__startswith=prefix)
            | Q(pinyin_folded__startswith=folded)
            | Q(region__iexact=query.strip())
        )
        if len(folded) >= 3:
            match |= Q(pinyin_folded__contains=folded)
        rank = [
            When(code=prefix, then=Value(0)),
            When(pinyin_folded=folded, then=Value(1)),
            When(code__startswith=prefix, then=Value(2)),
        ]
        rank.append(When(pinyin_folded__startswith=folded, then=Value(3)))
        return (
            self.filter(match)
            .annotate(rank=Case(*rank, default=Value(4), output_field=IntegerField()))
            .order_by("rank", "channel", "number", "code")[:SEARCH_LIMIT]
        )


class AcupuncturePoint(models.Model):
    """A point of the WHO standard nomenclature, a WHO extra point, or the clinic's own."""

    class Channel(models.TextChoices):
        LU = "LU", "Lung"
        LI = "LI", "Large Intestine"
        ST = "ST", "Stomach"
        SP = "SP", "Spleen"
        HT = "HT", "Heart"
        SI = "SI", "Small Intestine"
        BL = "BL", "Bladder"
        KI = "KI", "Kidney"
        PC = "PC", "Pericardium"
        TE = "TE", "Triple Energizer"
        GB = "GB", "Gallbladder"
        LR = "LR", "Liver"
        GV = "GV", "Governor Vessel"
        CV = "CV", "Conception Vessel"
        EX = "EX", "Extra points"
        CLINIC = "CLINIC", "Clinic-defined"

    class Region(models.TextChoices):
        HEAD = "head", "Head"
        FACE = "face", "Face"
        NECK = "neck", "Neck"
        CHEST = "chest", "Chest"
        ABDOMEN = "abdomen", "Abdomen"
        UPPER_BACK = "upper back", "Upper back"
        LOWER_BACK = "lower back", "Lower back"
        SACRUM = "sacrum", "Sacrum"
        UPPER_LIMB = "upper limb", "Upper limb"
        HAND = "hand", "Hand"
        LOWER_LIMB = "lower limb", "Lower limb"
        FOOT = "foot", "Foot"
        EAR = "ear", "Ear"

    code = models.CharField(
        max_length=20, unique=True, help_text="WHO code without hyphen, e.g. ST36 or EX-HN3."
    )
    channel = models.CharField(max_length=6, choices=Channel)
    number = models.PositiveSmallIntegerField(null=True, blank=True)
    pinyin = models.CharField(max_length=60)
    # The pinyin folded for search (see fold), kept beside it so the search can use an index.
    pinyin_folded = models.CharField(max_length=60, editable=False, db_index=True)
    region = models.CharField(max_length=12, choices=Region, db_index=True)
    pregnancy_caution = models.BooleanField(default=False)
    lung_field = models.BooleanField("over the lung field", default=False)
    vessel_or_eye = models.BooleanField("near a large vessel or the eye", default=False)
    caution = models.CharField(max_length=300, blank=True)

    objects = AcupuncturePointQuerySet.as_manager()

    class Meta:
        ordering = ["channel", "number", "code"]
        constraints = [
            models.CheckConstraint(condition=Q(code=Upper("code")), name="point_code_upper"),
            models.CheckConstraint(condition=~Q(code=""), name="point_code_set"),
            models.CheckConstraint(condition=~Q(pinyin=""), name="point_pinyin_set"),
            models.CheckConstraint(
                condition=Q(
                    channel__in=[
                        "LU",
                        "LI",
                        "ST",
                        "SP",
                        "HT",
                        "SI",
                        "BL",
                        "KI",
                        "PC",
                        "TE",
                        "GB",
                        "LR",
                        "GV",
                        "CV",
                        "EX",
                        "CLINIC",
                    ]
                ),
                name="point_channel_valid",
            ),  # fmt: skip
            models.CheckConstraint(
                condition=Q(channel="CLINIC") | Q(number__gte=1, number__lte=67),
                name="point_number_range",
            ),
            models.CheckConstraint(
                condition=Q(
                    region__in=[
                        "head",
                        "face",
                        "neck",
                        "chest",
                        "abdomen",
                        "upper back",
                        "lower back",
                        "sacrum",
                        "upper limb",
                        "hand",
                        "lower limb",
                        "foot",
                        "ear",
                    ]
                ),
                name="point_region_valid",
            ),  # fmt: skip
        ]

    def __str__(self):
        return f"{self.code} {self.pinyin}"

    def save(self, *args, **kwargs):
        self.code = self.code.strip().upper()
        self.pinyin_folded = fold(self.pinyin)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "pinyin_folded"}
        super().save(*args, **kwargs)

    @property
    def limb(self):
        """Which limb the point is on: "arm", "leg" or "" (see LIMB_REGIONS)."""
        if limb := LIMB_REGIONS.get(self.region):
            return limb
        prefix = next((p for p in LIMB_CODE_PREFIXES if self.code.startswith(p)), None)
        return LIMB_CODE_PREFIXES.get(prefix, "")

    @property
    def channel_name(self):
        return self.get_channel_display()

    # A point's safety flags, named by their fields' labels ("over the lung field").
    SAFETY_FLAGS = ["pregnancy_caution", "lung_field", "vessel_or_eye"]

    @classmethod
    def safety_flag_labels(cls):
        """{field: label} of the safety flags, for the point picker's script."""
        return {name: str(cls._meta.get_field(name).verbose_name) for name in cls.SAFETY_FLAGS}

    @property
    def safety_flags(self):
        labels = self.safety_flag_labels()
        return [labels[name] for name in self.SAFETY_FLAGS if getattr(self, name)]
