from django.db import migrations

TEXT = """Acupuncture involves fine, sterile, single-use needles placed in the skin. It is
generally very safe. Common, mild effects are brief soreness, small bruises, tiredness or
light-headedness after treatment, and sometimes a short flare of symptoms. Serious harm is
rare; the practitioner will tell you about the risks that apply to you.

Your practitioner may also suggest moxibustion (warming with a herb), cupping, gua sha or
exercises. You can ask questions at any time, and you can stop treatment at any time.

The clinic keeps your answers and treatment notes confidential, as part of your health
record, and uses them only for your care. They are shared with other health professionals
only with your agreement, or where the law requires it.

Please tell your practitioner about any change in your health, medicines or pregnancy."""


def add_consent(apps, schema_editor):
    ConsentVersion = apps.get_model("patients", "ConsentVersion")
    ConsentVersion.objects.get_or_create(version="2026.1", defaults={"text": TEXT})


class Migration(migrations.Migration):
    dependencies = [("patients", "0003_intake_checkins_readings")]

    operations = [migrations.RunPython(add_consent, migrations.RunPython.noop)]
