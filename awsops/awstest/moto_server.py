# moto's server (python3 -m moto.server), with one change to how fast it
# resets: the tests reset it before each test, and a reset re-creates every
# IAM backend (one per partition) before dropping them all, loading AWS's
# ~1,500 managed policies into each one it throws away: about a second of
# every reset. The policies are left out of those throw-away backends only;
# the backends the next test gets load them as before. If moto changes
# shape, the server runs unchanged.
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

main(sys.argv[1:])
