"""Issue 13: the flag "skin infection or broken skin at a site"; lymphoedema of both arms or
both legs; a red-flag review keeps whether its intake was urgent, and needs a reason unless
the patient was referred (an urgent flag: for anything but a same-day referral).

Reviews written before the reason was required and lacking one are given a note saying
so, so that the constraint holds for them; nothing else of them changes."""

from django.conf import settings
from django.db import migrations, models
from django.db.models import OuterRef, Q, Subquery

EARLIER_REVIEW = "(Recorded before a reason was required for this action.)"


def keep_urgent_and_mark_old_reviews(apps, schema_editor):
    Intake = apps.get_model("patients", "Intake")
    RedFlagReview = apps.get_model("patients", "RedFlagReview")
    urgent = Intake.objects.filter(pk=OuterRef("intake_id")).values("urgent")
    RedFlagReview.objects.update(urgent=Subquery(urgent))
    lacking = Q(notes="") & ~Q(action="same_day") & ~Q(urgent=False, action="gp")
    RedFlagReview.objects.filter(lacking).update(notes=EARLIER_REVIEW)


class Migration(migrations.Migration):

    dependencies = [
        ('patients', '0018_link_email_status'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='patient',
            name='patient_lymphoedema_limb_valid',
        ),
        migrations.AddField(
            model_name='historicalpatient',
            name='skin_infection',
            field=models.BooleanField(default=False, verbose_name='skin infection or broken skin at a site'),
        ),
        migrations.AddField(
            model_name='patient',
            name='skin_infection',
            field=models.BooleanField(default=False, verbose_name='skin infection or broken skin at a site'),
        ),
        migrations.AddField(
            model_name='redflagreview',
            name='urgent',
            field=models.BooleanField(default=False, editable=False),
        ),
        migrations.AlterField(
            model_name='historicalpatient',
            name='lymphoedema_limb',
            field=models.CharField(blank=True, choices=[('left_arm', 'Left arm'), ('right_arm', 'Right arm'), ('both_arms', 'Both arms'), ('left_leg', 'Left leg'), ('right_leg', 'Right leg'), ('both_legs', 'Both legs')], max_length=10, verbose_name='lymphoedema (affected limb)'),
        ),
        migrations.AlterField(
            model_name='patient',
            name='lymphoedema_limb',
            field=models.CharField(blank=True, choices=[('left_arm', 'Left arm'), ('right_arm', 'Right arm'), ('both_arms', 'Both arms'), ('left_leg', 'Left leg'), ('right_leg', 'Right leg'), ('both_legs', 'Both legs')], max_length=10, verbose_name='lymphoedema (affected limb)'),
        ),
        migrations.AlterField(
            model_name='redflagreview',
            name='action',
            field=models.CharField(choices=[('same_day', 'Referred for same-day medical assessment'), ('gp', 'Referred to the GP (routine)'), ('safe', 'Discussed; safe to treat, monitor'), ('other', 'Other (see notes)')], max_length=10),
        ),
        migrations.AddConstraint(
            model_name='patient',
            constraint=models.CheckConstraint(condition=models.Q(('lymphoedema_limb__in', ['', 'left_arm', 'right_arm', 'both_arms', 'left_leg', 'right_leg', 'both_legs'])), name='patient_lymphoedema_limb_valid'),
        ),
        migrations.RunPython(keep_urgent_and_mark_old_reviews, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name='redflagreview',
            constraint=models.CheckConstraint(condition=models.Q(('action', 'same_day'), models.Q(('action', 'gp'), ('urgent', False)), models.Q(('notes', ''), _negated=True), _connector='OR'), name='redflagreview_reason_unless_referred'),
        ),
    ]
