from django import template

from accounts.security import coarse_device

register = template.Library()


@register.filter
def device(user_agent: str) -> str:
    """'Firefox on Android' from a user agent, as the security pages name devices."""
    return coarse_device(user_agent)
