"""The medical specialties SOMET knows, by code, with their English and Russian names."""

SPECIALTIES: dict[str, tuple[str, str]] = {
    "general-surgery": ("General surgery", "Общая хирургия"),
    "anaesthesiology": ("Anaesthesiology", "Анестезиология"),
    "neurosurgery": ("Neurosurgery", "Нейрохирургия"),
    "obstetrics-gynaecology": ("Obstetrics & gynaecology", "Акушерство и гинекология"),
    "neonatology": ("Neonatology", "Неонатология"),
    "cardiology": ("Cardiology", "Кардиология"),
    "cardiac-surgery": ("Cardiac surgery", "Кардиохирургия"),
    "oncology": ("Oncology", "Онкология"),
    "paediatrics": ("Paediatrics", "Педиатрия"),
    "intensive-care": ("Intensive care", "Интенсивная терапия"),
    "radiology": ("Radiology", "Радиология"),
    "orthopaedics": ("Orthopaedics", "Ортопедия"),
    "urology": ("Urology", "Урология"),
    "emergency-medicine": ("Emergency medicine", "Неотложная медицина"),
}


# Kept apart so SPECIALTIES stays (English, Russian) pairs for the code that unpacks them.
KAZAKH_NAMES: dict[str, str] = {
    "general-surgery": "Жалпы хирургия",
    "anaesthesiology": "Анестезиология",
    "neurosurgery": "Нейрохирургия",
    "obstetrics-gynaecology": "Акушерлік және гинекология",
    "neonatology": "Неонатология",
    "cardiology": "Кардиология",
    "cardiac-surgery": "Кардиохирургия",
    "oncology": "Онкология",
    "paediatrics": "Педиатрия",
    "intensive-care": "Қарқынды терапия",
    "radiology": "Радиология",
    "orthopaedics": "Ортопедия",
    "urology": "Урология",
    "emergency-medicine": "Шұғыл медицина",
}


def specialty_name(code: str | None, language: str = "en") -> str:
    """The readable name of a specialty code (the code itself when unknown)."""
    if not code:
        return ""
    names = SPECIALTIES.get(code)
    if names is None:
        return code
    if language == "kk":
        return KAZAKH_NAMES.get(code, names[1])
    return names[1] if language == "ru" else names[0]


def find_specialty(text: str) -> str | None:
    """The code for a specialty given by code or by English/Russian name, case-insensitively."""
    wanted = text.strip().casefold()
    for code, (english, russian) in SPECIALTIES.items():
        if wanted in (code, english.casefold(), russian.casefold()):
            return code
    return None
