"""Two-step login for staff (django-otp): an authenticator app (TOTP) and one-time
recovery codes.

With settings.CLINIC_REQUIRE_2FA (on outside debug mode), RequireTwoFactorMiddleware sends
a logged-in user who has not passed the second step to it, and one without a device to
set one up, and lets them reach nothing else (the Django admin included) but logging out.
A wrong code counts as a failed login for django-axes, so five of them lock the account
from that address, as five wrong passwords do."""

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout, user_login_failed
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django_otp import devices_for_user, user_has_device
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from staff.forms import CodeForm

# What a user who has not passed the second step may still open.
OPEN_BEFORE_SECOND_STEP = {"logout", "two_factor_verify", "two_factor_setup"}
RECOVERY_CODES = 10
# django-otp makes a device wait after each wrong code (1 s, 2 s, 4 s, ...).
TOO_FAST = "Too many wrong codes in a row: wait a few seconds, then enter the code the app shows."


class RequireTwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if settings.CLINIC_REQUIRE_2FA and user.is_authenticated and not user.is_verified():
            try:
                name = resolve(request.path_info).url_name
            except Resolver404:
                name = None
            if name not in OPEN_BEFORE_SECOND_STEP:
                step = "two_factor_verify" if user_has_device(user) else "two_factor_setup"
                return redirect(f"{reverse(step)}?next={request.get_full_path()}")
        return self.get_response(request)


def _next(request):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return reverse("home")


def _app_device(user):
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def _new_recovery_codes(user):
    """Replace the user's recovery codes with new ones; the codes, to show once."""
    device, _ = StaticDevice.objects.get_or_create(user=user, name="Recovery codes")
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@login_required
def setup(request):
    """Set up the authenticator app: its QR code and the secret as text, and a code from
    it to confirm; then the recovery codes, shown once. With the app set up already: its
    state, and new recovery codes."""
    user = request.user
    if _app_device(user) is not None:
        left = StaticToken.objects.filter(device__user=user).count()
        return render(request, "registration/two_factor_on.html", {"codes_left": left})
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not device.verify_is_allowed()[0]:
            form.add_error("code", TOO_FAST)
        elif device.verify_token(form.cleaned_data["code"]):
            with transaction.atomic():
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                codes = _new_recovery_codes(user)
            otp_login(request, device)
            context = {"codes": codes, "next": _next(request)}
            return render(request, "registration/two_factor_codes.html", context)
        else:
            form.add_error("code", "That code is not the one the app shows now. Try the next one.")
    secret = device.config_url.split("secret=")[1].split("&")[0]
    context = {
        "form": form,
        "qr": segno.make(device.config_url).svg_inline(scale=4, title="QR code to scan"),
        "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        "next": _next(request),
    }
    return render(
        request, "registration/two_factor_setup.html", context, status=400 if form.errors else 200
    )


@login_required
def verify(request):
    """The second step: a code from the app, or a recovery code (each works once)."""
    user = request.user
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"]
        # for_verify locks the devices (SELECT ... FOR UPDATE) while a code is checked, so
        # two requests cannot both spend one recovery code: inside a transaction.
        with transaction.atomic():
            devices = list(devices_for_user(user, for_verify=True))
            waiting = not any(device.verify_is_allowed()[0] for device in devices)
            verified = next((device for device in devices if device.verify_token(code)), None)
        if verified is not None:
            otp_login(request, verified)
            return redirect(_next(request))
        # A wrong code, or one sent while the devices make the user wait, is a failed login.
        user_login_failed.send(
            sender=__name__, credentials={"username": user.get_username()}, request=request
        )
        if getattr(request, "axes_locked_out", False):
            logout(request)
            return render(request, settings.AXES_LOCKOUT_TEMPLATE, status=429)
        if waiting:
            form.add_error("code", TOO_FAST)
            context = {"form": form, "next": _next(request)}
            return render(request, "registration/two_factor_verify.html", context, status=429)
        form.add_error("code", "That code is not right. Check the app, or use a recovery code.")
    status = 400 if form.errors else 200
    return render(
        request,
        "registration/two_factor_verify.html",
        {"form": form, "next": _next(request)},
        status=status,
    )


@login_required
@require_POST
def new_recovery_codes(request):
    if not request.user.is_verified():
        return redirect("two_factor_verify")
    codes = _new_recovery_codes(request.user)
    messages.success(request, "New recovery codes made: the old ones no longer work.")
    return render(
        request, "registration/two_factor_codes.html", {"codes": codes, "next": reverse("home")}
    )
