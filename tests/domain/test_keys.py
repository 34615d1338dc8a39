import pytest

from gateway.domain.keys import (
    KEY_LENGTH,
    Scope,
    generate_key,
    hash_key,
    key_prefix,
    parse_bootstrap_keys,
)


@pytest.mark.parametrize("scope", list(Scope))
def test_it_generates_32_character_keys_tagged_by_scope(scope):
    key = generate_key(scope)
    assert len(key) == KEY_LENGTH == 32
    assert key.startswith(scope.key_tag)


def test_it_generates_a_different_key_each_time():
    assert len({generate_key(Scope.READ_WRITE) for _ in range(100)}) == 100


def test_it_hashes_keys_one_way_and_stably():
    key = generate_key(Scope.READ_ONLY)
    assert hash_key(key) == hash_key(key)
    assert key not in hash_key(key)
    assert len(hash_key(key)) == 64
    assert key_prefix(key) == key[:8]


def test_it_parses_bootstrap_keys():
    key = "k" * 32
    parsed = parse_bootstrap_keys(f"alpha:read-write:{key}, beta:connector-health:{key}")
    assert [(item.project, item.scope, item.key) for item in parsed] == [
        ("alpha", Scope.READ_WRITE, key),
        ("beta", Scope.CONNECTOR_HEALTH, key),
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("alpha:read-write", "item 1 is not <project>:<scope>:<key>"),
        ("alpha:admin:" + "k" * 32, "item 1: scope 'admin' is not one of"),
        ("alpha:read-write:short", "item 1: the key must be 32 characters"),
        ("Alpha:read-write:" + "k" * 32, "item 1: project 'Alpha' must be"),
        ("a:read-only:" + "k" * 32 + ",b:read-only:" + "k" * 31, "item 2: the key must be"),
    ],
)
def test_it_rejects_malformed_bootstrap_keys_without_echoing_them(text, message):
    with pytest.raises(ValueError, match="^" + message) as caught:
        parse_bootstrap_keys(text)
    assert "k" * 31 not in str(caught.value)


def test_bootstrap_key_repr_hides_the_key():
    (item,) = parse_bootstrap_keys("alpha:read-write:" + "s" * 32)
    assert "s" * 9 not in repr(item)
