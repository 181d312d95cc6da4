"""AuditEvent moved to the audit app and PractitionerProfile to the staff app: their tables
stay, under the same names, and only Django's state moves (audit 0001, staff 0001)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('clinic', '0003_audit_refuses_truncate'),
        ('audit', '0001_initial'),
        ('staff', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name='practitionerprofile',
                    name='user',
                ),
                migrations.DeleteModel(
                    name='AuditEvent',
                ),
                migrations.DeleteModel(
                    name='PractitionerProfile',
                ),
            ],
        ),
    ]
