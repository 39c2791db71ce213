from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts.forms import ProfileForm
from accounts.models import ApiToken
from accounts.tokens import TokenForm, create_token


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST":
        if form.is_valid():
            form.save()
            messages.success(request, "Your profile is saved.")
            return redirect("accounts:profile")
        messages.error(request, "Nothing was saved yet. Please check the highlighted answers.")
    return render(request, "accounts/profile.html", {"form": form})


@never_cache  # the page may carry a new token's secret
@login_required
def tokens(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    created = secret = None
    if request.method == "POST":
        if form.is_valid():
            # No redirect: the secret is shown on this response only and stored nowhere.
            created, secret = create_token(
                request.user, form.cleaned_data["name"], form.expires_in()
            )
            form = TokenForm()
        else:
            messages.error(request, "No token was made yet. Please check the highlighted answers.")
    return render(
        request,
        "accounts/tokens.html",
        {
            "form": form,
            "created": created,
            "secret": secret,
            "tokens": ApiToken.objects.filter(user=request.user),
        },
    )


@login_required
@require_POST
def revoke_token(request: HttpRequest, digest: str) -> HttpResponse:
    token = get_object_or_404(ApiToken.objects.filter(user=request.user), digest=digest)
    token.delete()
    messages.success(request, f"Revoked “{token.name}”. Nothing can use it any more.")
    return redirect("accounts:tokens")
