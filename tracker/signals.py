"""Keep cached summaries honest: any change to a person's records marks them stale."""

from django.contrib.auth import get_user_model
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from tracker.models import DailyEntry, Medication, Symptom


def _deleting_the_person(origin) -> bool:
    # Deleting a person deletes their records with them: there is nobody left to mark, and
    # marking them once per day logged made deleting five years take thousands of UPDATEs.
    return isinstance(origin, get_user_model())


@receiver(post_save, sender=DailyEntry)
@receiver(post_delete, sender=DailyEntry)
@receiver(post_save, sender=Medication)
@receiver(post_delete, sender=Medication)
def mark_records_changed(sender, instance, origin=None, **kwargs) -> None:
    if not _deleting_the_person(origin):
        get_user_model().objects.mark_records_changed(instance.user_id)


@receiver(post_delete, sender=Symptom)
def mark_own_symptom_removed(sender, instance, origin=None, **kwargs) -> None:
    if instance.owner_id is not None and not _deleting_the_person(origin):
        get_user_model().objects.mark_records_changed(instance.owner_id)


@receiver(m2m_changed, sender=DailyEntry.symptoms.through)
@receiver(m2m_changed, sender=DailyEntry.intimacy_barriers.through)
def mark_tags_changed(sender, instance, action, reverse, **kwargs) -> None:
    if action.startswith("post_") and not reverse:
        get_user_model().objects.mark_records_changed(instance.user_id)
