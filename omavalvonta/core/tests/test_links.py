"""core.lib.links: a record's address reversed once for a page of records."""

import pytest
from django.urls import reverse

from omavalvonta.core.lib.links import pk_link


@pytest.mark.parametrize("name", ["deviations:detail", "improvement:action_detail", "meetings:detail", "guidance:detail"])
def test_pk_link_is_the_address_reverse_gives(name):
    link = pk_link(name)
    for pk in (1, 42, 987654321, 10**12):
        assert link(pk) == reverse(name, args=[pk])
