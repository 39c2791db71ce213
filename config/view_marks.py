"""Policies stated on the views they govern: a decorator marks a view, and a middleware (or the
database router) reads the mark from the URL the request resolved to.

A mark is an attribute on the view function, or on the class of a class-based view (Django's
`view_class`, DRF's `cls`, viewsets included). Decorators built with functools.wraps, such as
login_required, carry it whichever side of them it is put on. A view without the mark is not
governed by the policy: each policy says in its own module which way that errs.
"""

from collections.abc import Callable
from typing import TypeVar

from django.urls import ResolverMatch

View = TypeVar("View", bound=Callable)


def view_mark(name: str) -> Callable[[View], View]:
    """A decorator that marks a view function or class with `name`."""

    def mark(view: View) -> View:
        setattr(view, name, True)
        return view

    return mark


def is_marked(match: ResolverMatch | None, name: str) -> bool:
    """Whether the view this URL resolved to carries the mark `name`."""
    if match is None:
        return False
    view = match.func
    view_class = getattr(view, "cls", None) or getattr(view, "view_class", None)
    return getattr(view, name, False) is True or getattr(view_class, name, False) is True
