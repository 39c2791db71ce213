"""The conditions catalogue, loaded by a data migration."""

CONDITIONS = [
    ("rheumatoid-arthritis", "Rheumatoid arthritis"),
    ("lupus", "Lupus (SLE)"),
    ("multiple-sclerosis", "Multiple sclerosis"),
    ("psoriasis", "Psoriasis / psoriatic arthritis"),
    ("crohns", "Crohn's disease"),
    ("ulcerative-colitis", "Ulcerative colitis"),
    ("hashimotos", "Hashimoto's"),
    ("graves", "Graves' disease"),
    ("sjogrens", "Sjögren's"),
    ("ankylosing-spondylitis", "Ankylosing spondylitis"),
    ("celiac", "Celiac disease"),
    ("type-1-diabetes", "Type 1 diabetes"),
    ("other", "Other"),
]
