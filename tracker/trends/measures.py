"""What the trends show: the measures charted and summarised, their scales, and what counts as
a flare day."""

# Charted measures: name -> (label, largest value on the scale).
CHARTED = {
    "stress": ("Stress", 10),
    "sleep_hours": ("Hours slept", 12),
    "sleep_quality": ("Sleep quality", 5),
    "fatigue": ("Fatigue", 10),
    "flare_severity": ("Flare severity", 10),
}
SUMMARISED = {**CHARTED, "libido": ("Desire", 5)}
INTIMATE_MEASURES = {"libido"}
SCALE_WORDS = {
    "stress": "out of 10",
    "sleep_hours": "hours",
    "sleep_quality": "on the 1-5 scale",
    "fatigue": "out of 10",
    "flare_severity": "out of 10",
    "libido": "on the 1-5 scale",
}
FLARE_DAY_SEVERITY = 5
