"""The model moved here from the clinic app, whose migrations created its table
(`clinic_auditevent`, kept by name): this one only takes it over in Django's state."""

import django.db.models.deletion
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
                    name='AuditEvent',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('at', models.DateTimeField(auto_now_add=True, db_index=True)),
                        ('actor', models.CharField(help_text='Who acted, as they were known then.', max_length=150)),
                        ('action', models.CharField(choices=[('view', 'Viewed'), ('list', 'Listed'), ('create', 'Created'), ('change', 'Changed'), ('delete', 'Deleted'), ('export', 'Exported')], max_length=10)),
                        ('object_type', models.CharField(max_length=100)),
                        ('object_id', models.CharField(blank=True, max_length=64)),
                        ('patient_uuid', models.UUIDField(blank=True, null=True)),
                        ('ip_address', models.GenericIPAddressField(blank=True, null=True)),
                        ('detail', models.CharField(blank=True, max_length=300)),
                        ('user', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='audit_events', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'clinic_auditevent',
                        'ordering': ['-at', '-id'],
                        'indexes': [models.Index(fields=['patient_uuid', '-at'], name='auditevent_patient_at')],
                        'constraints': [models.CheckConstraint(condition=models.Q(('action__in', ['view', 'list', 'create', 'change', 'delete', 'export'])), name='auditevent_action_valid')],
                    },
                ),
            ],
        ),
        move_content_type("auditevent", "audit"),
    ]
