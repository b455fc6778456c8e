"""Short digests of the catalog as one member reads it, for a replica to refresh only
what changed.

A product's digest is a hash of its wire form (price, your price, stock, promotions and
all); the catalog is split into at most 256 buckets by a hash of the code, and a bucket's
digest covers its products' codes and digests. A replica asks for the bucket digests
(about 3 KB whatever the catalog's size), then, for each bucket that differs, the digests
of its products, and reads only the products whose digest differs.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping

from mlm_tui.core.models import Product
from mlm_tui.core.remote import wire

DIGEST_LENGTH = 12  # hex digits: a collision would leave one product stale until it changes


def product_digest(product: Product) -> str:
    return body_digest(wire.dump(Product, product).decode())


def body_digest(body: str) -> str:
    """The digest of a product's wire form as stored (the replica keeps it so)."""
    return hashlib.sha256(body.encode()).hexdigest()[:DIGEST_LENGTH]


def bucket_of(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()[:2]


def bucket_digests(digests: Mapping[str, str]) -> dict[str, str]:
    """code -> digest, as bucket -> digest of the bucket's codes and digests."""
    buckets: dict[str, list[str]] = {}
    for code in sorted(digests):
        buckets.setdefault(bucket_of(code), []).append(f"{code}:{digests[code]}")
    return {bucket: hashlib.sha256("\n".join(items).encode()).hexdigest()[:DIGEST_LENGTH]
            for bucket, items in buckets.items()}


def digests_of(products: Iterable[Product], bucket: str | None) -> dict[str, str]:
    """What ``Backend.product_digests`` answers for these products (the whole catalog)."""
    each = {p.code: product_digest(p) for p in products}
    if bucket is None:
        return bucket_digests(each)
    return {code: digest for code, digest in each.items() if bucket_of(code) == bucket}
