from django import template

from tracker.pwa import queue_owner

register = template.Library()


@register.filter
def phone_queue_owner(user) -> str:
    """Whose days a page may send from the phone's offline queue (tracker.pwa.queue_owner)."""
    return queue_owner(user)
