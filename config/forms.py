"""Form rendering shared by Hearth's own forms and allauth's."""

from django.forms.renderers import TemplatesSetting


class HearthFormRenderer(TemplatesSetting):
    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"
