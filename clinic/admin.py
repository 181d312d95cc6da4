from django.conf import settings
from django.contrib import admin

admin.site.site_header = f"{settings.CLINIC_NAME} administration"
admin.site.site_title = settings.CLINIC_NAME
admin.site.index_title = "Clinic administration"
