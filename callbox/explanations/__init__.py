"""What ``callbox lint --explain CODE`` prints: one Markdown page per code."""
