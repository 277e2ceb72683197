"""Contains all the data models used in inputs/outputs"""

from .accepted import Accepted
from .access_token import AccessToken
from .access_token_page import AccessTokenPage
from .attempt_detail import AttemptDetail
from .attempt_error import AttemptError
from .attempt_error_kind import AttemptErrorKind
from .attempt_summary import AttemptSummary
from .attempt_summary_page import AttemptSummaryPage
from .audit_entry import AuditEntry
from .audit_entry_page import AuditEntryPage
from .auth_method_aws_4 import AuthMethodAws4
from .auth_method_basic import AuthMethodBasic
from .auth_method_headers import AuthMethodHeaders
from .auth_method_headers_headers import AuthMethodHeadersHeaders
from .auth_method_hmac_sha_256 import AuthMethodHmacSha256
from .auth_method_mtls import AuthMethodMtls
from .auth_method_none import AuthMethodNone
from .auth_method_oauth_2 import AuthMethodOauth2
from .auth_method_token import AuthMethodToken
from .bucket import Bucket
from .bulk_delete import BulkDelete
from .bulk_deleted import BulkDeleted
from .circuit_closed import CircuitClosed
from .circuit_open import CircuitOpen
from .content_type import ContentType
from .created_token import CreatedToken
from .delivery import Delivery
from .delivery_counts import DeliveryCounts
from .delivery_state import DeliveryState
from .delivery_state_view import DeliveryStateView
from .destination_eventbridge import DestinationEventbridge
from .destination_http import DestinationHttp
from .destination_kinesis import DestinationKinesis
from .destination_nats import DestinationNats
from .destination_poll import DestinationPoll
from .destination_rabbitmq import DestinationRabbitmq
from .destination_redis import DestinationRedis
from .destination_s3 import DestinationS3
from .destination_sns import DestinationSns
from .destination_sqs import DestinationSqs
from .environment import Environment
from .event_in import EventIn
from .event_summary_view import EventSummaryView
from .event_summary_view_page import EventSummaryViewPage
from .event_type import EventType
from .event_type_in import EventTypeIn
from .event_type_page import EventTypePage
from .event_view import EventView
from .filter_trial import FilterTrial
from .filter_trial_filter import FilterTrialFilter
from .filter_verdict import FilterVerdict
from .filter_verdict_subject import FilterVerdictSubject
from .grant import Grant
from .issued_link import IssuedLink
from .link_input import LinkInput
from .member import Member
from .member_in import MemberIn
from .member_page import MemberPage
from .member_status import MemberStatus
from .org import Org
from .org_in import OrgIn
from .org_page import OrgPage
from .org_stats import OrgStats
from .payload_format import PayloadFormat
from .problem import Problem
from .pulled import Pulled
from .pulled_message import PulledMessage
from .pulled_message_headers import PulledMessageHeaders
from .recover_input import RecoverInput
from .recovered import Recovered
from .role import Role
from .signing_in import SigningIn
from .signing_view import SigningView
from .sort_order import SortOrder
from .stats import Stats
from .stats_by_result import StatsByResult
from .test_input import TestInput
from .token_in import TokenIn
from .token_request import TokenRequest
from .totals import Totals
from .transformation import Transformation
from .transformation_outcome import TransformationOutcome
from .transformation_trial import TransformationTrial
from .transformation_trial_headers import TransformationTrialHeaders
from .tried_request import TriedRequest
from .tried_request_headers import TriedRequestHeaders
from .trigger import Trigger
from .webhook_auth_aws_4 import WebhookAuthAws4
from .webhook_auth_basic import WebhookAuthBasic
from .webhook_auth_headers import WebhookAuthHeaders
from .webhook_auth_headers_headers import WebhookAuthHeadersHeaders
from .webhook_auth_hmac_sha_256 import WebhookAuthHmacSha256
from .webhook_auth_mtls import WebhookAuthMtls
from .webhook_auth_none import WebhookAuthNone
from .webhook_auth_oauth_2 import WebhookAuthOauth2
from .webhook_auth_per_org import WebhookAuthPerOrg
from .webhook_auth_token import WebhookAuthToken
from .webhook_health import WebhookHealth
from .webhook_in import WebhookIn
from .webhook_in_filter_type_0 import WebhookInFilterType0
from .webhook_options import WebhookOptions
from .webhook_options_headers import WebhookOptionsHeaders
from .webhook_patch import WebhookPatch
from .webhook_patch_filter_type_0 import WebhookPatchFilterType0
from .webhook_stats import WebhookStats
from .webhook_status import WebhookStatus
from .webhook_view import WebhookView
from .webhook_view_filter_type_0 import WebhookViewFilterType0
from .webhook_view_page import WebhookViewPage
from .window import Window

__all__ = (
    "Accepted",
    "AccessToken",
    "AccessTokenPage",
    "AttemptDetail",
    "AttemptError",
    "AttemptErrorKind",
    "AttemptSummary",
    "AttemptSummaryPage",
    "AuditEntry",
    "AuditEntryPage",
    "AuthMethodAws4",
    "AuthMethodBasic",
    "AuthMethodHeaders",
    "AuthMethodHeadersHeaders",
    "AuthMethodHmacSha256",
    "AuthMethodMtls",
    "AuthMethodNone",
    "AuthMethodOauth2",
    "AuthMethodToken",
    "Bucket",
    "BulkDelete",
    "BulkDeleted",
    "CircuitClosed",
    "CircuitOpen",
    "ContentType",
    "CreatedToken",
    "Delivery",
    "DeliveryCounts",
    "DeliveryState",
    "DeliveryStateView",
    "DestinationEventbridge",
    "DestinationHttp",
    "DestinationKinesis",
    "DestinationNats",
    "DestinationPoll",
    "DestinationRabbitmq",
    "DestinationRedis",
    "DestinationS3",
    "DestinationSns",
    "DestinationSqs",
    "Environment",
    "EventIn",
    "EventSummaryView",
    "EventSummaryViewPage",
    "EventType",
    "EventTypeIn",
    "EventTypePage",
    "EventView",
    "FilterTrial",
    "FilterTrialFilter",
    "FilterVerdict",
    "FilterVerdictSubject",
    "Grant",
    "IssuedLink",
    "LinkInput",
    "Member",
    "MemberIn",
    "MemberPage",
    "MemberStatus",
    "Org",
    "OrgIn",
    "OrgPage",
    "OrgStats",
    "PayloadFormat",
    "Problem",
    "Pulled",
    "PulledMessage",
    "PulledMessageHeaders",
    "Recovered",
    "RecoverInput",
    "Role",
    "SigningIn",
    "SigningView",
    "SortOrder",
    "Stats",
    "StatsByResult",
    "TestInput",
    "TokenIn",
    "TokenRequest",
    "Totals",
    "Transformation",
    "TransformationOutcome",
    "TransformationTrial",
    "TransformationTrialHeaders",
    "TriedRequest",
    "TriedRequestHeaders",
    "Trigger",
    "WebhookAuthAws4",
    "WebhookAuthBasic",
    "WebhookAuthHeaders",
    "WebhookAuthHeadersHeaders",
    "WebhookAuthHmacSha256",
    "WebhookAuthMtls",
    "WebhookAuthNone",
    "WebhookAuthOauth2",
    "WebhookAuthPerOrg",
    "WebhookAuthToken",
    "WebhookHealth",
    "WebhookIn",
    "WebhookInFilterType0",
    "WebhookOptions",
    "WebhookOptionsHeaders",
    "WebhookPatch",
    "WebhookPatchFilterType0",
    "WebhookStats",
    "WebhookStatus",
    "WebhookView",
    "WebhookViewFilterType0",
    "WebhookViewPage",
    "Window",
)
