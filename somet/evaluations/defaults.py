"""The default set of evaluation forms (PURE data): migration 0010 inserts it, and a database
built without the migrations (the tests' ``create_all``) or emptied by ``flask demo --reset``
gets it when a direction has no default form (``operations.default_form``).
"""

# (kind, English, Russian, Kazakh); a text question is optional.
DEFAULT_FORMS = {
    "of_doctor": (
        "Supervisor's evaluation of the visiting doctor",
        [
            ("scale", "Clinical knowledge", "Клинические знания", "Клиникалық білім"),
            (
                "scale",
                "Professional conduct and communication",
                "Профессиональное поведение и общение",
                "Кәсіби мінез-құлық және қарым-қатынас",
            ),
            (
                "scale",
                "Engagement in the department's work",
                "Вовлечённость в работу отделения",
                "Бөлімше жұмысына белсене қатысуы",
            ),
            (
                "yes_no",
                "Would you host this doctor again?",
                "Приняли бы вы этого врача снова?",
                "Бұл дәрігерді қайта қабылдар ма едіңіз?",
            ),
            ("text", "Comments", "Комментарии", "Пікірлер"),
        ],
    ),
    "of_department": (
        "Visiting doctor's evaluation of the department",
        [
            (
                "scale",
                "What you learnt in this rotation",
                "Чему вы научились на этой ротации",
                "Осы ротацияда не үйрендіңіз",
            ),
            (
                "scale",
                "Access to surgeries and procedures",
                "Доступ к операциям и процедурам",
                "Операциялар мен емшараларға қолжетімділік",
            ),
            (
                "scale",
                "Supervision and teaching",
                "Руководство и обучение",
                "Жетекшілік және оқыту",
            ),
            (
                "yes_no",
                "Would you recommend this department to a colleague?",
                "Порекомендовали бы вы это отделение коллеге?",
                "Бұл бөлімшені әріптесіңізге ұсынар ма едіңіз?",
            ),
            ("text", "Comments", "Комментарии", "Пікірлер"),
        ],
    ),
}
