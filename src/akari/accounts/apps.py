from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "akari.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        # Roles are groups whose permissions exist only after migrate; keep them in step
        # (idempotent, like Django's own creation of permissions after migrate).
        from akari.accounts.roles import sync_roles_after_migrate

        post_migrate.connect(sync_roles_after_migrate, dispatch_uid="akari.accounts.sync_roles")

        from akari.core.navigation import NavItem, register, signed_in

        register(NavItem(_("My account"), "accounts:profile", signed_in, order=90))
