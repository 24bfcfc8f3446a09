# moto's server (python3 -m moto.server), with two changes; if moto
# changes shape, the server runs without them. The first is how fast it
# resets: the tests reset it before each test, and a reset re-creates every
# IAM backend (one per partition) before dropping them all, loading AWS's
# ~1,500 managed policies into each one it throws away: about a second of
# every reset. The policies are left out of those throw-away backends only;
# the backends the next test gets load them as before. The second (below)
# keeps a new console password's PasswordResetRequired, as AWS does.
import os
import sys

from moto.server import main

try:
    from moto.moto_api._internal.models import MotoAPIBackend

    reset = MotoAPIBackend.reset

    def reset_without_reloading_policies(self):
        load = os.environ.get("MOTO_IAM_LOAD_MANAGED_POLICIES", "")
        os.environ["MOTO_IAM_LOAD_MANAGED_POLICIES"] = "false"
        try:
            reset(self)
        finally:
            os.environ["MOTO_IAM_LOAD_MANAGED_POLICIES"] = load

    MotoAPIBackend.reset = reset_without_reloading_policies
except (ImportError, AttributeError) as e:
    print("moto resets at full cost:", e, file=sys.stderr)

# moto keeps CreateLoginProfile's PasswordResetRequired nowhere (its
# GetLoginProfile always answers false), where AWS keeps it until the user
# signs in and sets a new password; UpdateLoginProfile it does keep. The
# flag is kept here after a create that worked, as AWS keeps it.
try:
    from moto.iam.responses import IamResponse

    create_login_profile = IamResponse.create_login_profile

    def create_login_profile_keeping_reset(self):
        result = create_login_profile(self)
        user = self.backend.get_user(self._get_param("UserName"))
        user.password_reset_required = self._get_bool_param("PasswordResetRequired", False)
        return result

    IamResponse.create_login_profile = create_login_profile_keeping_reset
except (ImportError, AttributeError) as e:
    print("moto forgets PasswordResetRequired on CreateLoginProfile:", e, file=sys.stderr)

main(sys.argv[1:])
