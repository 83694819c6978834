"""Writes of the organisation: its settings and risk matrix, supervisory
authorities, units, wellbeing services counties, regions, people and their
memberships (roles).

Every service is keyword-only with the actor first, runs in one transaction,
checks that the actor is an administrator (administration is organisation-wide,
so the check is `has_perm_anywhere`, not a unit check), validates the business
rules (raising `ValidationError` keyed by the form field the message belongs to)
and writes an audit event in the same transaction.
"""

from omavalvonta.organisation.services._common import (
    AUTHORITY_FIELDS,
    COUNTY_FIELDS,
    ORGANISATION_FIELDS,
    ORGANISATION_ONLY_ROLES,
    PERSON_FIELDS,
    REGION_ROLES,
    RISK_ORDER,
    SETTING_LIMITS,
    UNIT_FIELDS,
    UNIT_ROLES,
    generate_password,
)
from omavalvonta.organisation.services.county import (
    api_token_create,
    api_token_revoke,
    county_access_grant,
    county_access_revoke,
)
from omavalvonta.organisation.services.people import (
    membership_add,
    membership_remove,
    person_create,
    person_password_set,
    person_subject_apply,
    person_update,
)
from omavalvonta.organisation.services.settings import (
    authority_create,
    authority_update,
    business_id_is_valid,
    organisation_settings_update,
    risk_matrix_cell_key,
    risk_matrix_update,
    risk_matrix_violations,
    validate_business_id,
)
from omavalvonta.organisation.services.structure import (
    county_create,
    county_update,
    region_create,
    region_update,
    unique_unit_slug,
    unit_create,
    unit_update,
)

__all__ = [
    "AUTHORITY_FIELDS",
    "COUNTY_FIELDS",
    "ORGANISATION_FIELDS",
    "ORGANISATION_ONLY_ROLES",
    "PERSON_FIELDS",
    "REGION_ROLES",
    "RISK_ORDER",
    "SETTING_LIMITS",
    "UNIT_FIELDS",
    "UNIT_ROLES",
    "api_token_create",
    "api_token_revoke",
    "authority_create",
    "authority_update",
    "business_id_is_valid",
    "county_access_grant",
    "county_access_revoke",
    "county_create",
    "county_update",
    "generate_password",
    "membership_add",
    "membership_remove",
    "organisation_settings_update",
    "person_create",
    "person_password_set",
    "person_subject_apply",
    "person_update",
    "region_create",
    "region_update",
    "risk_matrix_cell_key",
    "risk_matrix_update",
    "risk_matrix_violations",
    "unique_unit_slug",
    "unit_create",
    "unit_update",
    "validate_business_id",
]
