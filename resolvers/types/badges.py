"""``Badge``: the URLs of one tag's status badge."""

import strawberry

from gateway.services.badges import BadgeUrls

__all__ = ["Badge"]


@strawberry.type(
    description="The signed URLs of a tag's badge (tag * covers every check); the "
    "3 variants can also show late."
)
class Badge:
    tag: str
    svg: str
    svg3: str
    json: str
    json3: str
    shields: str
    shields3: str

    @classmethod
    def from_domain(cls, tag: str, urls: BadgeUrls) -> "Badge":
        return cls(tag=tag, **urls)
