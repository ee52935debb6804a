"""Import every model so that the metadata, and so Alembic, contains the whole schema."""

from arc.auth.models import (  # noqa: F401
    OAuthAccessToken,
    OAuthAuthCode,
    OAuthClient,
    OAuthPersonalAccessClient,
    OAuthRefreshToken,
)
from arc.centres.models import Centre, centre_centre_user  # noqa: F401
from arc.jobs.models import JobStatus, LegacyFailedJob, LegacyMigration, LegacyQueuedJob  # noqa: F401
from arc.markets.models import Market, MarketLog, Trader, trader_user  # noqa: F401
from arc.operations.models import ArchivedVoucher, ArchivedVoucherState  # noqa: F401
from arc.payments.models import StateToken  # noqa: F401
from arc.registrations.models import Bundle, Carer, Child, Family, Note, Registration  # noqa: F401
from arc.sponsors.models import Evaluation, Sponsor  # noqa: F401
from arc.users.models import AdminUser, CentreUser, PasswordReset, User  # noqa: F401
from arc.vouchers.duplicates import DuplicateVoucherReport  # noqa: F401
from arc.vouchers.models import Delivery, Voucher, VoucherState  # noqa: F401
