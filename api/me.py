"""/api/v1/me/: the person's own profile, validated by the profile page's form; and
/api/v1/conditions/, the catalogue its `conditions` name."""

from django.forms.models import model_to_dict
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.catalogue import CONDITIONS
from accounts.forms import ProfileForm
from accounts.middleware import shows_health_data
from accounts.models import Condition
from api.base import ApiBase
from api.serializers import ConditionSerializer, FormBackedSerializer, NamesField, TextField
from tracker.forms import look_up

PROFILE_FIELDS = ProfileForm.base_fields


class MeSerializer(FormBackedSerializer):
    """Your profile, as on /account/profile/."""

    email = serializers.EmailField(read_only=True)
    display_name = TextField(
        required=False,
        allow_blank=True,
        form_max_length=PROFILE_FIELDS["display_name"].max_length,
        help_text=PROFILE_FIELDS["display_name"].help_text,
    )
    # The form knows the ~600 names allowed; listing them would make the schema mostly zones.
    time_zone = TextField(
        required=False,
        help_text="An IANA time zone name, such as Europe/London. "
        + PROFILE_FIELDS["time_zone"].help_text,
    )
    conditions = NamesField(
        attribute="slug",
        help_text="Slugs from GET /api/v1/conditions/: "
        + ", ".join(f"“{slug}”" for slug, _ in CONDITIONS)
        + ".",
    )
    other_condition = TextField(
        required=False,
        allow_blank=True,
        form_max_length=PROFILE_FIELDS["other_condition"].max_length,
        help_text=PROFILE_FIELDS["other_condition"].help_text,
    )

    def make_form(self, data: dict) -> ProfileForm:
        return ProfileForm(data, instance=self.instance)

    def saved_values(self) -> dict:
        return model_to_dict(self.instance, fields=ProfileForm._meta.fields)

    def validate_conditions(self, slugs: list[str]) -> list[Condition]:
        known = {condition.slug: condition for condition in Condition.objects.all()}
        return look_up(slugs, known, "“{name}” is not a condition in the list.")


@shows_health_data
@extend_schema(tags=["me"])
class MeView(ApiBase, APIView):
    serializer_class = MeSerializer

    def get(self, request: Request) -> Response:
        return Response(MeSerializer(request.user).data)

    def patch(self, request: Request) -> Response:
        """Change the fields sent and keep the others."""
        serializer = MeSerializer(request.user, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        serializer.form.save()
        return Response(MeSerializer(request.user).data)


@extend_schema(tags=["conditions"])
class ConditionViewSet(ApiBase, mixins.ListModelMixin, viewsets.GenericViewSet):
    """The conditions catalogue, for the `conditions` of /api/v1/me/."""

    queryset = Condition.objects.all()
    serializer_class = ConditionSerializer
