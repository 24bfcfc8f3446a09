# moto's server (python3 -m moto.server), with four changes; if moto
# changes shape, the server runs without the change that no longer fits,
# and says so. The first is how fast it resets: the tests reset it before
# each test, and a reset re-creates every IAM backend (one per partition)
# before dropping them all, loading AWS's ~1,500 managed policies into each
# one it throws away: about a second of every reset. The policies are left
# out of those throw-away backends only; the backends the next test gets
# load them as before. The next two (below) keep a new console password's
# PasswordResetRequired and a new bucket's tags, as AWS does.
#
# The last: e-mail subscriptions wait for their confirmation, as on AWS:
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

# moto 5.2.1 accepts the Tags of CreateBucket's CreateBucketConfiguration
# and drops them, where S3 makes the bucket with them (awssecure marks its
# buckets so, in the one call). They are kept here for a bucket the call
# made: one there already (us-east-1 answers success for it) keeps its own.
try:
    import xmltodict
    from moto.s3.exceptions import MissingBucket
    from moto.s3.responses import S3Response

    bucket_response_put = S3Response._bucket_response_put

    def tags_at_creation(body):
        if not body:
            return {}
        conf = xmltodict.parse(body, force_list={"Tag": True}).get("CreateBucketConfiguration") or {}
        tags = (conf.get("Tags") or {}).get("Tag") or []
        return {t["Key"]: t.get("Value") or "" for t in tags}

    def bucket_response_put_keeping_tags(self, request, bucket_name, querystring):
        tags, there = {}, True
        if not querystring:
            tags = tags_at_creation(self.body)
            try:
                self.backend.get_bucket(bucket_name)
            except MissingBucket:
                there = False
        result = bucket_response_put(self, request, bucket_name, querystring)
        if tags and not there:
            self.backend.put_bucket_tagging(bucket_name, tags)
        return result

    S3Response._bucket_response_put = bucket_response_put_keeping_tags
except (ImportError, AttributeError) as e:
    print("moto drops the tags of CreateBucket:", e, file=sys.stderr)

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
