# moto's server (python3 -m moto.server), with three changes; if moto
# changes shape, the server runs without the change that no longer fits,
# and says so. The first is how fast it resets: the tests reset it before
# each test, and a reset re-creates every IAM backend (one per partition)
# before dropping them all, loading AWS's ~1,500 managed policies into each
# one it throws away: about a second of every reset. The policies are left
# out of those throw-away backends only; the backends the next test gets
# load them as before. The second (below) keeps a new console password's
# PasswordResetRequired, as AWS does.
#
# The third: e-mail subscriptions wait for their confirmation, as on AWS:
# moto confirms them at once. Here a new e-mail subscription is pending
# (listed as PendingConfirmation, answered "pending confirmation" by
# Subscribe) until ConfirmSubscription confirms the topic's pending one,
# as the link SNS mails would; AWS checks the token that link carries,
# which moto never sends, so any token is taken.
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

try:
    from moto.core.responses import ActionResult
    from moto.sns import models as sns_models
    from moto.sns import responses as sns_responses

    EMAIL = ("email", "email-json")

    def subscription_arn(self):
        if self.protocol in EMAIL and not self.confirmed:
            return "PendingConfirmation"
        return self.arn

    sns_models.Subscription.subscription_arn = property(subscription_arn)

    backend_subscribe = sns_models.SNSBackend.subscribe

    def subscribe_pending(self, topic_arn, endpoint, protocol):
        known = self._find_subscription(topic_arn, endpoint, protocol)
        sub = backend_subscribe(self, topic_arn, endpoint, protocol)
        if known is None:
            sub.confirmed = protocol not in EMAIL
            sub.attributes["PendingConfirmation"] = "false" if sub.confirmed else "true"
        return sub

    sns_models.SNSBackend.subscribe = subscribe_pending

    response_subscribe = sns_responses.SNSResponse.subscribe

    def subscribe_answer(self):
        result = response_subscribe(self)
        sub = self.backend._find_subscription(
            self._get_param("TopicArn"), self._get_param("Endpoint"), self._get_param("Protocol")
        )
        if sub is not None and not sub.confirmed and self._get_param("ReturnSubscriptionArn") not in ("true", True):
            result = ActionResult({"SubscriptionArn": "pending confirmation"})
        return result

    sns_responses.SNSResponse.subscribe = subscribe_answer

    def confirm_subscription(self):
        topic = self.backend.get_topic(self._get_param("TopicArn"))
        for sub in self.backend.subscriptions.values():
            if sub.topic.arn == topic.arn and not sub.confirmed:
                sub.confirmed = True
                sub.attributes["PendingConfirmation"] = "false"
                return ActionResult({"SubscriptionArn": sub.arn})
        return ActionResult({"SubscriptionArn": ""})

    sns_responses.SNSResponse.confirm_subscription = confirm_subscription
except (ImportError, AttributeError) as e:
    print("moto confirms e-mail subscriptions at once:", e, file=sys.stderr)

main(sys.argv[1:])
