from django import forms
from django.contrib import admin

from sessions.models import AcupuncturePoint


class AcupuncturePointForm(forms.ModelForm):
    class Meta:
        model = AcupuncturePoint
        fields = [
            "code", "channel", "number", "pinyin", "region", "pregnancy_caution", "lung_field",
            "vessel_or_eye", "caution",
        ]  # fmt: skip

    def clean_channel(self):
        channel = self.cleaned_data["channel"]
        if self.instance._state.adding and channel != AcupuncturePoint.Channel.CLINIC:
            raise forms.ValidationError(
                "The WHO points are all loaded; a new point is clinic-defined."
            )
        return channel


@admin.register(AcupuncturePoint)
class AcupuncturePointAdmin(admin.ModelAdmin):
    """The WHO catalogue's codes and names are fixed; clinics edit flags and add their own."""

    list_display = [
        "code", "pinyin", "channel", "region", "pregnancy_caution", "lung_field",
        "vessel_or_eye",
    ]  # fmt: skip
    list_filter = ["channel", "region", "pregnancy_caution", "lung_field", "vessel_or_eye"]
    list_editable = ["pregnancy_caution", "lung_field", "vessel_or_eye"]
    search_fields = ["code"]
    search_help_text = "Code (ST36, UB40, liv 3, SJ-5), pinyin (zusanli) or region (foot)."
    list_per_page = 50
    form = AcupuncturePointForm

    def get_changeform_initial_data(self, request):
        return {"channel": AcupuncturePoint.Channel.CLINIC}

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return queryset, False
        codes = AcupuncturePoint.objects.search(search_term).values("code")
        return queryset.filter(code__in=codes), False

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.channel != AcupuncturePoint.Channel.CLINIC:
            return ["code", "channel", "number", "pinyin"]
        return []

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.channel != AcupuncturePoint.Channel.CLINIC:
            return False
        return super().has_delete_permission(request, obj)
