from pathlib import Path

from resolvers.schema import schema

ROOT = Path(__file__).resolve().parent.parent


def test_the_committed_schema_matches_the_code():
    committed = (ROOT / "schema.graphql").read_text()
    assert committed == schema.as_str() + "\n", (
        "schema.graphql is out of date: run `make schema` and commit it"
    )


def test_the_schema_has_viewer_and_a_subscription():
    sdl = schema.as_str()
    assert "viewer: Viewer!" in sdl
    assert "type Subscription" in sdl
