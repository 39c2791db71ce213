"""/api/v1/symptoms/ and /api/v1/medications/: the person's own lists, reached through
request.user; writes go through the pages' forms, which make the person the owner."""

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets

from accounts.middleware import shows_health_data
from api.base import ApiBase
from api.serializers import MedicationSerializer, SymptomSerializer
from tracker.models import Medication, Symptom


@shows_health_data
@extend_schema(tags=["symptoms"])
class SymptomViewSet(
    ApiBase,
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """The shared catalogue plus your own symptoms. Only your own can be deleted: a catalogue
    symptom's id answers 404 to DELETE, as another person's does."""

    queryset = Symptom.objects.none()  # for the schema; get_queryset starts from the person
    serializer_class = SymptomSerializer

    def get_queryset(self) -> QuerySet[Symptom]:
        if self.action == "destroy":
            return Symptom.objects.owned_by(self.request.user)
        return Symptom.objects.available_to(self.request.user)

    def perform_create(self, serializer: SymptomSerializer) -> None:
        serializer.instance = serializer.form.save()  # SymptomForm makes the person the owner


@shows_health_data
@extend_schema(tags=["medications"])
class MedicationViewSet(ApiBase, viewsets.ModelViewSet):
    queryset = Medication.objects.none()  # for the schema; get_queryset starts from the person
    serializer_class = MedicationSerializer

    def get_queryset(self) -> QuerySet[Medication]:
        return Medication.objects.for_user(self.request.user)

    def perform_create(self, serializer: MedicationSerializer) -> None:
        serializer.instance = serializer.form.save()  # MedicationForm makes the person the owner

    def perform_update(self, serializer: MedicationSerializer) -> None:
        serializer.form.save()
