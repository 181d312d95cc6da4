"""The model moved here from the clinic app, whose migrations created its table
(`clinic_practitionerprofile`, kept by name): this one only takes it over in Django's state."""

import django.db.models.deletion
from decimal import Decimal
from django.conf import settings
from django.db import migrations, models


def move_content_type(model, to_app):
    """The model's content type (and so its permissions and admin log entries) follows it
    from the clinic app, unless migrate already made one for the new app."""

    def forward(apps, schema_editor):
        ContentType = apps.get_model("contenttypes", "ContentType")
        if not ContentType.objects.filter(app_label=to_app, model=model).exists():
            ContentType.objects.filter(app_label="clinic", model=model).update(app_label=to_app)

    def backward(apps, schema_editor):
        ContentType = apps.get_model("contenttypes", "ContentType")
        if not ContentType.objects.filter(app_label="clinic", model=model).exists():
            ContentType.objects.filter(app_label=to_app, model=model).update(app_label="clinic")

    return migrations.RunPython(forward, backward)


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("contenttypes", "0002_remove_content_type_name"),
        ("clinic", "0003_audit_refuses_truncate"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='PractitionerProfile',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('display_name', models.CharField(max_length=100)),
                        ('qualification', models.CharField(blank=True, max_length=200)),
                        ('years_in_practice', models.PositiveSmallIntegerField(default=0)),
                        ('default_needle_diameter_mm', models.DecimalField(decimal_places=2, default=Decimal('0.25'), max_digits=3, verbose_name='default needle diameter (mm)')),
                        ('default_needle_length_mm', models.PositiveSmallIntegerField(default=40, verbose_name='default needle length (mm)')),
                        ('default_retention_minutes', models.PositiveSmallIntegerField(default=20)),
                        ('acupuncture_style', models.CharField(choices=[('tcm', 'Traditional Chinese medicine'), ('japanese', 'Japanese'), ('korean', 'Korean'), ('western', 'Western medical'), ('five_element', 'Five Element'), ('auricular', 'Auricular'), ('other', 'Other')], default='tcm', max_length=20)),
                        ('user', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='practitioner_profile', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'clinic_practitionerprofile',
                        'constraints': [models.CheckConstraint(condition=models.Q(('display_name', ''), _negated=True), name='practitionerprofile_display_name_set'), models.CheckConstraint(condition=models.Q(('years_in_practice__lte', 70)), name='practitionerprofile_years_range'), models.CheckConstraint(condition=models.Q(('default_needle_diameter_mm__gte', Decimal('0.10')), ('default_needle_diameter_mm__lte', Decimal('0.50'))), name='practitionerprofile_needle_diameter_range'), models.CheckConstraint(condition=models.Q(('default_needle_length_mm__gte', 5), ('default_needle_length_mm__lte', 150)), name='practitionerprofile_needle_length_range'), models.CheckConstraint(condition=models.Q(('default_retention_minutes__gte', 1), ('default_retention_minutes__lte', 120)), name='practitionerprofile_retention_range'), models.CheckConstraint(condition=models.Q(('acupuncture_style__in', ['tcm', 'japanese', 'korean', 'western', 'five_element', 'auricular', 'other'])), name='practitionerprofile_style_valid')],
                    },
                ),
            ],
        ),
        move_content_type("practitionerprofile", "staff"),
    ]
