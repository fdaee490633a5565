"""The facts table: one row per fact observation (DESIGN.md, "Files"). Shared by extract, count and scan."""

from __future__ import annotations

import pyarrow as pa

IDK = "IDK"
"""`object_key` of an explicit "unknown" statement: an IDK observation (math.md §2)."""

REQUIRED_FACT_COLUMNS: tuple[str, ...] = ("doc_id", "category", "subject_key", "object_key")

FACTS_SCHEMA = pa.schema(
    [
        pa.field("doc_id", pa.string(), nullable=False),
        pa.field("domain", pa.string()),
        pa.field("category", pa.string(), nullable=False),
        pa.field("subject", pa.string()),
        pa.field("mention", pa.string()),
        pa.field("object", pa.string()),
        pa.field("subject_key", pa.string(), nullable=False),
        pa.field("object_key", pa.string(), nullable=False),
        pa.field("approx", pa.bool_()),
        pa.field("start", pa.int32()),
        pa.field("end", pa.int32()),
        pa.field("doc_hash", pa.uint64()),
        pa.field("evidence", pa.string()),
    ]
)
"""`evidence` (last, nullable, optional for `count`): the evidence sentence, `text[start:end]` of the document, cut
at EVIDENCE_CHARS characters, for people auditing a fact."""

EVIDENCE_CHARS = 1000
"""The longest evidence sentence a facts table stores (a longer span is cut to its first 1,000 characters)."""
