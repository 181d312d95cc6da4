import re
import unicodedata

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Case, IntegerField, Q, Value, When
from django.db.models.functions import Upper

# Legacy channel abbreviations still written on charts and in textbooks (CLINICAL.md 3),
# and the short forms practitioners type (K3, KID 3, TB5, H7, G34, Co4 for the colon).
# A clinic's own point whose code is typed exactly wins over these (see resolve_code).
CHANNEL_ALIASES = {
    "UB": "BL", "LV": "LR", "LIV": "LR", "SJ": "TE", "TW": "TE", "TH": "TE", "TB": "TE",
    "P": "PC", "HC": "PC", "HE": "HT", "H": "HT", "DU": "GV", "REN": "CV",
    "K": "KI", "KD": "KI", "KID": "KI", "G": "GB", "CO": "LI",
}  # fmt: skip
# Codes of other numberings for a WHO point: some national standards number Yintang GV29
# (CLINICAL.md 3). Names that are not codes (Huatuojiaji, Renzhong) are the points' data.
CODE_ALIASES = {"GV29": "EX-HN3"}
EXTRA_GROUPS = ("HN", "CA", "B", "UE", "LE")
CODE_QUERY = re.compile(r"^([A-Z]+)(\d*)$")
# A code is letters and digits, spaced or hyphenated (ST-36, st 36, ex hn 3); anything
# else (GV24+, LI4?) names no code.
CODE_CHARACTERS = re.compile(r"^[\w\s-]+$")
SEARCH_LIMIT = 20
PAIRED_CHANNELS = {
    "LU", "LI", "ST", "SP", "HT", "SI", "BL", "KI", "PC", "TE", "GB", "LR",
}  # fmt: skip
# How many needles a point row may hold per side (Jiaji: one per level, 17 levels).
MAX_NEEDLES_PER_SIDE = 20


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
    """Why this side is wrong for this point, or None: GV, CV and the midline extra points
    (Yintang) lie on the midline; the other WHO points are paired. A clinic's own point that
    is not marked midline may be either."""
    if point.midline and side != Side.MIDLINE:
        return f"{point.code} lies on the midline: choose midline."
    if not point.midline and point.channel != "CLINIC" and side == Side.MIDLINE:
        return f"{point.code} is a paired point: choose left, right or bilateral."
    return None


def default_side(point):
    return Side.MIDLINE if point.midline else Side.BILATERAL


def needles_for(per_side, side):
    """CLINICAL.md 3: needles per side x sides (bilateral is two)."""
    return per_side * (2 if side == Side.BILATERAL else 1)


def fold(text):
    """Lower case, no tone marks, letters and digits only: 'Zú Sān Lǐ' -> 'zusanli'."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if ch.isalnum() and ch.isascii()).lower()


def fold_words(text):
    """Each word folded, between spaces: 'Huatuojiaji Renzhong' -> ' huatuojiaji renzhong '
    (so that a search for ' renz' finds the start of a word)."""
    words = [folded for word in text.split() if (folded := fold(word))]
    return f" {' '.join(words)} " if words else " "


def code_prefix(query):
    """The canonical code a query names, or begins: 'liv 3' -> 'LR3', 'ex hn' -> 'EX-HN',
    'du 29' -> 'EX-HN3' (an alias); None for what is no code ('GV24+', 'zusanli')."""
    if not CODE_CHARACTERS.match(query.strip()):
        return None
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
    return CODE_ALIASES.get(letters + digits, letters + digits)


def typed_codes(text):
    """The codes a typed point may mean, the first that exists wins: as typed (a clinic's
    own CO4 or EAR-SHENMEN), then canonical ('co 4' -> 'LI4', 'liv 3' -> 'LR3')."""
    text = (text or "").strip()
    typed = text.upper()
    canonical = code_prefix(text)
    return [typed] if canonical in (None, typed) else [typed, canonical]


def resolve_code(text, catalogue):
    """The point of `catalogue` ({code: point}) that `text` names, or None."""
    return next((catalogue[code] for code in typed_codes(text) if code in catalogue), None)


class AcupuncturePointQuerySet(models.QuerySet):
    def search(self, query):
        """Points for the picker: by code (legacy spellings and aliases too), pinyin or
        another name (Huatuojiaji, Renzhong), or body region.

        An exact code comes first, then exact names, then codes that begin with the query,
        then the names that begin with it, then the rest; at most SEARCH_LIMIT rows.
        """
        folded = fold(query)
        if not folded:
            return self.none()
        # A clinic's own codes (EAR-SHENMEN, CO4) are matched as typed; WHO codes canonically.
        typed = query.strip().upper()
        prefix = code_prefix(query) or typed
        region = query.strip()
        match = (
            Q(code__startswith=prefix)
            | Q(code__startswith=typed)
            | Q(pinyin_folded__startswith=folded)
            | Q(other_names_folded__contains=" " + folded)
            | Q(region__iexact=region)
            | Q(second_region__iexact=region)
        )
        if len(folded) >= 3:
            match |= Q(pinyin_folded__contains=folded)
        rank = [
            When(Q(code=typed) | Q(code=prefix), then=Value(0)),
            When(
                Q(pinyin_folded=folded) | Q(other_names_folded__contains=f" {folded} "),
                then=Value(1),
            ),
            When(Q(code__startswith=prefix) | Q(code__startswith=typed), then=Value(2)),
        ]
        rank.append(
            When(
                Q(pinyin_folded__startswith=folded) | Q(other_names_folded__contains=" " + folded),
                then=Value(3),
            )
        )
        return (
            self.filter(match)
            .annotate(rank=Case(*rank, default=Value(4), output_field=IntegerField()))
            .order_by("rank", "channel", "number", "code")[:SEARCH_LIMIT]
        )


class PointRegion(models.TextChoices):
    """Where on the body a point lies (its region, and a second one for points that span two)."""

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
    PERINEUM = "perineum", "Perineum"


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

    Region = PointRegion

    code = models.CharField(
        max_length=20, unique=True, help_text="WHO code without hyphen, e.g. ST36 or EX-HN3."
    )
    channel = models.CharField(max_length=6, choices=Channel)
    number = models.PositiveSmallIntegerField(null=True, blank=True)
    pinyin = models.CharField(max_length=60)
    # The pinyin folded for search (see fold), kept beside it so the search can use an index.
    pinyin_folded = models.CharField(max_length=60, editable=False, db_index=True)
    other_names = models.CharField(
        max_length=100, blank=True,
        help_text="Other names it is found by, separated by spaces, e.g. Huatuojiaji.",
    )  # fmt: skip
    other_names_folded = models.CharField(max_length=120, editable=False, default=" ")
    region = models.CharField(max_length=12, choices=Region, db_index=True)
    second_region = models.CharField(
        "also in region", max_length=12, choices=Region, blank=True,
        help_text="For a point that spans two regions (Jiaji: upper and lower back).",
    )  # fmt: skip
    midline = models.BooleanField(
        "on the midline", default=False,
        help_text="Needled once, on the midline: GV, CV and the midline extra points.",
    )  # fmt: skip
    needles_per_side = models.PositiveSmallIntegerField(
        "needles per side", default=1,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_NEEDLES_PER_SIDE)],
        help_text="Several for a group point (Baxie: 4 a hand); a session's row may differ.",
    )  # fmt: skip
    pregnancy_caution = models.BooleanField(default=False)
    lung_field = models.BooleanField("over the lung field", default=False)
    vessel_or_eye = models.BooleanField("near a large vessel or the eye", default=False)
    do_not_needle = models.BooleanField(
        "not needled (moxibustion only)", default=False,
        help_text="CLINICAL.md 4: CV8 Shenque is treated with moxibustion, never needled.",
    )  # fmt: skip
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
                condition=Q(needles_per_side__gte=1, needles_per_side__lte=MAX_NEEDLES_PER_SIDE),
                name="point_needles_per_side_range",
            ),
            models.CheckConstraint(
                condition=~Q(channel__in=["GV", "CV"]) | Q(midline=True),
                name="point_gv_cv_on_midline",
            ),
            models.CheckConstraint(
                condition=~Q(channel__in=sorted(PAIRED_CHANNELS)) | Q(midline=False),
                name="point_channel_points_paired",
            ),
            models.CheckConstraint(
                condition=Q(region__in=PointRegion.values),
                name="point_region_valid",
            ),
            models.CheckConstraint(
                condition=Q(second_region__in=["", *PointRegion.values]),
                name="point_second_region_valid",
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.pinyin}"

    def save(self, *args, **kwargs):
        self.code = self.code.strip().upper()
        self.pinyin_folded = fold(self.pinyin)
        self.other_names_folded = fold_words(self.other_names)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {
                *kwargs["update_fields"],
                "pinyin_folded",
                "other_names_folded",
            }
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

    @property
    def region_name(self):
        """'Upper back', or 'Upper back and lower back' for a point that spans two."""
        if not self.second_region:
            return self.get_region_display()
        return f"{self.get_region_display()} and {self.get_second_region_display().lower()}"

    # A point's safety flags, named by their fields' labels ("over the lung field").
    SAFETY_FLAGS = ["pregnancy_caution", "lung_field", "vessel_or_eye", "do_not_needle"]

    @classmethod
    def safety_flag_labels(cls):
        """{field: label} of the safety flags, for the point picker's script."""
        return {name: str(cls._meta.get_field(name).verbose_name) for name in cls.SAFETY_FLAGS}

    @property
    def safety_flags(self):
        labels = self.safety_flag_labels()
        return [labels[name] for name in self.SAFETY_FLAGS if getattr(self, name)]
