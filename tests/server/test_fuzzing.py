"""The API fuzzed from its own OpenAPI document (schemathesis, bounded): whatever a client
sends, signed in or not, the server never fails (no 5xx), and every answer it documents
matches its schema."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from tests import plain_http, world
from tests.remote_server import CLOCK_FILE, store_id

pytestmark = pytest.mark.long_running  # runs for seconds: first in the run

EXAMPLES = 4  # per operation: a few hundred requests in all


@pytest.fixture(scope="module")
def served(remote_server, world_template, tmp_path_factory):
    """The world with its orders on the test server, and Anna's token for it."""
    import shutil

    data_dir = tmp_path_factory.mktemp("fuzzed")
    shutil.copyfile(world_template, data_dir / "store.db")
    world.add_orders(data_dir / "store.db")
    (data_dir / CLOCK_FILE).write_text(world.NOW.isoformat())
    url = f"{remote_server}/{store_id(data_dir)}"
    token = plain_http.post(f"{url}/api/v1/sessions", json={
        "login": world.ANNA.registration_number, "password": world.PASSWORD}).json()["token"]
    yield url, token
    plain_http.delete(f"{remote_server}/_stores/{store_id(data_dir)}")


@pytest.fixture(scope="module")
def api(served):
    url, _token = served
    return schemathesis.openapi.from_url(f"{url}/api/v1/openapi.json")


schema = schemathesis.pytest.from_fixture("api")


@schema.parametrize()
# Generated requests alone: the explicit phase would add the schema's examples and a
# boundary sweep of every parameter, three times the requests for the same operations.
@settings(max_examples=EXAMPLES, deadline=None, derandomize=True, phases=[Phase.generate],
          suppress_health_check=list(HealthCheck))
def test_no_request_breaks_the_server(case, served):
    url, token = served
    case.call_and_validate(base_url=url, headers={"Authorization": f"Bearer {token}"},
                           checks=[not_a_server_error, response_schema_conformance])
