"""The shared catalogues of barriers and symptoms, loaded by data migrations."""

INTIMACY_BARRIERS = [
    ("pain", "Pain"),
    ("fatigue", "Fatigue"),
    ("low-desire", "Low desire"),
    ("vaginal-dryness", "Vaginal dryness"),
    ("erectile-difficulty", "Erectile difficulty"),
    ("stiffness-mobility", "Stiffness or mobility"),
    ("mood-anxiety", "Mood or anxiety"),
    ("body-image", "Body image"),
    ("medication-side-effects", "Medication side effects"),
    ("other", "Other"),
]

SYMPTOMS = [
    "Joint pain",
    "Stiffness",
    "Swelling",
    "Rash",
    "Fever",
    "Brain fog",
    "Headache",
    "Muscle pain",
    "Digestive upset",
    "Mouth ulcers",
    "Dry eyes or mouth",
    "Numbness or tingling",
    "Vaginal dryness",
    "Erectile difficulty",
]

# Sexual-health symptoms: shown with the intimacy answers and hidden with them in discreet mode
# (Symptom.intimate, set by migration 0008). A person's own symptoms are never intimate.
INTIMATE_SYMPTOMS = ["Vaginal dryness", "Erectile difficulty"]
