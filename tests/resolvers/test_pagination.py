import pytest

from gateway.errors import InvalidInputError
from resolvers.pagination import Connection, decode_cursor, encode_cursor, paginate

ITEMS = list(range(10))


def test_it_walks_every_page_once():
    seen, after = [], None
    while True:
        page = paginate(ITEMS, 4, after, maximum=100)
        seen += page.nodes()
        assert page.total_count == 10
        if not page.page_info.has_next_page:
            break
        after = page.page_info.end_cursor
    assert seen == ITEMS


def test_the_first_and_last_pages_say_so():
    first = paginate(ITEMS, 3, None, maximum=100)
    assert (first.page_info.has_previous_page, first.page_info.has_next_page) == (False, True)
    last = paginate(ITEMS, 3, encode_cursor(8), maximum=100)
    assert last.nodes() == [9]
    assert (last.page_info.has_previous_page, last.page_info.has_next_page) == (True, False)


def test_an_empty_page_has_no_cursors():
    page: Connection[int] = paginate([], 5, None, maximum=100)
    assert (page.edges, page.page_info.start_cursor, page.page_info.end_cursor) == ([], None, None)


@pytest.mark.parametrize(
    ("first", "message"), [(101, "first must be at most 100"), (-1, "first must not be negative")]
)
def test_the_page_size_is_bounded(first, message):
    with pytest.raises(InvalidInputError, match=message):
        paginate(ITEMS, first, None, maximum=100)


@pytest.mark.parametrize("cursor", ["garbage", encode_cursor(-3), "b2Zmc2V0Onh5eg"])
def test_a_forged_cursor_is_refused(cursor):
    with pytest.raises(InvalidInputError, match="after is not a valid cursor"):
        decode_cursor(cursor)
