"""The demo training centre: hosts in Haifa and Jerusalem, a cohort from the Abay region."""

from datetime import date

DEMO_PASSWORD = "demo-password"  # noqa: S105  (documented demo logins, never in production)

HAIFA = {
    "name": "Rambam Health Care Campus",
    "city": "Haifa",
    "country": "Israel",
    "address": "8 HaAliya HaShniya St, Haifa 3109601",
    "timezone": "Asia/Jerusalem",
    "working_weekdays": "6,0,1,2,3",
}
JERUSALEM = {
    "name": "Hadassah Ein Kerem Medical Center",
    "city": "Jerusalem",
    "country": "Israel",
    "address": "Kiryat Hadassah, Jerusalem 9112001",
    "timezone": "Asia/Jerusalem",
    "working_weekdays": "6,0,1,2,3",
}

# name, specialty, capacity per day, supervisor, languages
HAIFA_DEPARTMENTS = [
    ("General Surgery", "general-surgery", 4, "Prof. Yoram Kluger", "he,en"),
    ("Anesthesiology", "anaesthesiology", 4, "Dr. Michal Barak", "he,en,ru"),
    ("Neurosurgery", "neurosurgery", 3, "Prof. Menashe Zaaroor", "he,en"),
    ("Obstetrics & Gynecology", "obstetrics-gynaecology", 3, "Prof. Ron Auslender", "he,en,ru"),
    ("Neonatology", "neonatology", 2, "Dr. Imad Makhoul", "he,en,ar"),
    ("Cardiology", "cardiology", 3, "Prof. Ronen Jaffe", "he,en"),
    ("Oncology", "oncology", 2, "Prof. Gil Bar-Sela", "he,en,ru"),
    ("Pediatrics", "paediatrics", 2, "Dr. Ayelet Rotem", "he,en"),
    ("General Intensive Care", "intensive-care", 4, "Dr. Yael Lichter", "he,en,ru"),
    ("Diagnostic Radiology", "radiology", 3, "Dr. Ahuva Engel", "he,en"),
]
JERUSALEM_DEPARTMENTS = [
    ("General Surgery", "general-surgery", 3, "Prof. Alon Pikarsky", "he,en"),
    ("Anesthesiology & Critical Care", "anaesthesiology", 3, "Prof. Yaacov Gozal", "he,en,ru"),
    ("Neurosurgery", "neurosurgery", 2, "Prof. Yigal Shoshan", "he,en"),
    ("Obstetrics & Gynecology", "obstetrics-gynaecology", 2, "Prof. Simcha Yagel", "he,en"),
    ("Cardiology", "cardiology", 2, "Prof. Chaim Lotan", "he,en,ru"),
    # Without it the upcoming cohort's intensive-care days (20 doctors x 2) would need every
    # Haifa ICU place on every day, which the late arrival and closed day make impossible.
    ("Medical Intensive Care", "intensive-care", 2, "Dr. Noa Levin", "he,en,ru"),
]

HOLIDAYS = [
    (date(2026, 12, 25), "Hanukkah (reduced schedule)"),
    (date(2027, 4, 22), "Passover"),
    (date(2027, 5, 12), "Independence Day"),
]

UPCOMING_COHORT = {
    "name": "Abay region — surgical specialties",
    "origin_country": "Kazakhstan",
    "origin_region": "Abay region",
    "sponsor": "Health Department of the Abay Region",
    "start_date": date(2027, 1, 10),
    "end_date": date(2027, 1, 21),
    "hours_per_day": 6.0,
    "attendance_threshold": 0.8,
    "auto_issue_certificates": True,  # the rehearsal (README) ends with the nightly auto-issue
}
PAST_COHORT = {
    "name": "Abay region — anaesthesiology and surgery 2025",
    "origin_country": "Kazakhstan",
    "origin_region": "Abay region",
    "sponsor": "Health Department of the Abay Region",
    "start_date": date(2025, 11, 2),
    "end_date": date(2025, 11, 13),
    "hours_per_day": 6.0,
    "attendance_threshold": 0.8,
}

# (name, specialty code, days, required, weight)
UPCOMING_CURRICULUM = [
    ("Core rotation in own specialty", None, 5, True, 0),
    ("Intensive care", "intensive-care", 2, True, 0),
    ("Diagnostic radiology", "radiology", 2, False, 5),
]
PAST_CURRICULUM = [
    ("Core rotation in own specialty", None, 6, True, 0),
    ("Intensive care", "intensive-care", 3, True, 0),
]

# first, last (passport Latin), native (Kazakh Cyrillic), specialty, institution, licence, passport
DOCTORS = [
    (
        "Aigerim",
        "Nurlanovna",
        "Әйгерім Нұрланқызы",
        "anaesthesiology",
        "Semey Medical University Hospital",
        "KZ-AB-10234",
        "N12345671",
    ),
    (
        "Yerlan",
        "Bekov",
        "Ерлан Беков",
        "general-surgery",
        "Abay Regional Hospital, Semey",
        "KZ-AB-10235",
        "N12345672",
    ),
    (
        "Dauren",
        "Seitkali",
        "Дәурен Сейтқали",
        "neurosurgery",
        "Semey Medical University Hospital",
        "KZ-AB-10236",
        "N12345673",
    ),
    (
        "Gulnara",
        "Omarova",
        "Гүлнара Омарова",
        "obstetrics-gynaecology",
        "Semey Perinatal Centre",
        "KZ-AB-10237",
        "N12345674",
    ),
    (
        "Nurlan",
        "Zhaksylykov",
        "Нұрлан Жақсылықов",
        "general-surgery",
        "Ayagoz District Hospital",
        "KZ-AB-10238",
        "N12345675",
    ),
    (
        "Saule",
        "Kenzhebayeva",
        "Сәуле Кенжебаева",
        "anaesthesiology",
        "Abay Regional Hospital, Semey",
        "KZ-AB-10239",
        "N12345676",
    ),
    (
        "Askar",
        "Temirkhanov",
        "Асқар Темірханов",
        "general-surgery",
        "Kurchatov City Hospital",
        "KZ-AB-10240",
        "N12345677",
    ),
    (
        "Madina",
        "Ospanova",
        "Мадина Оспанова",
        "obstetrics-gynaecology",
        "Semey Perinatal Centre",
        "KZ-AB-10241",
        "N12345678",
    ),
    (
        "Bauyrzhan",
        "Iskakov",
        "Бауыржан Ысқақов",
        "neurosurgery",
        "Abay Regional Hospital, Semey",
        "KZ-AB-10242",
        "N12345679",
    ),
    (
        "Zhanar",
        "Abdrakhmanova",
        "Жанар Әбдірахманова",
        "anaesthesiology",
        "Ayagoz District Hospital",
        "KZ-AB-10243",
        "N12345680",
    ),
    (
        "Serik",
        "Mukhametov",
        "Серік Мұхаметов",
        "general-surgery",
        "Semey Medical University Hospital",
        "KZ-AB-10244",
        "N12345681",
    ),
    (
        "Aliya",
        "Sarsenbayeva",
        "Әлия Сәрсенбаева",
        "anaesthesiology",
        "Kurchatov City Hospital",
        "KZ-AB-10245",
        "N12345682",
    ),
    (
        "Timur",
        "Akhmetov",
        "Тимур Ахметов",
        "neurosurgery",
        "Semey Medical University Hospital",
        "KZ-AB-10246",
        "N12345683",
    ),
    (
        "Dinara",
        "Zhumabekova",
        "Динара Жұмабекова",
        "obstetrics-gynaecology",
        "Abay Regional Hospital, Semey",
        "KZ-AB-10247",
        "N12345684",
    ),
    (
        "Yerzhan",
        "Kassymov",
        "Ержан Қасымов",
        "general-surgery",
        "Urzhar District Hospital",
        "KZ-AB-10248",
        "N12345685",
    ),
    (
        "Akmaral",
        "Baimukhanova",
        "Ақмарал Баймұханова",
        "anaesthesiology",
        "Semey Medical University Hospital",
        "KZ-AB-10249",
        "N12345686",
    ),
    (
        "Kanat",
        "Utegenov",
        "Қанат Өтегенов",
        "general-surgery",
        "Abay Regional Hospital, Semey",
        "KZ-AB-10250",
        "N12345687",
    ),
    (
        "Aruzhan",
        "Tolegenova",
        "Аружан Төлегенова",
        "neurosurgery",
        "Semey Medical University Hospital",
        "KZ-AB-10251",
        "N12345688",
    ),
    (
        "Marat",
        "Shaikenov",
        "Марат Шәйкенов",
        "anaesthesiology",
        "Ayagoz District Hospital",
        "KZ-AB-10252",
        "N12345689",
    ),
    (
        "Gaukhar",
        "Yesenova",
        "Гауһар Есенова",
        "obstetrics-gynaecology",
        "Kurchatov City Hospital",
        "KZ-AB-10253",
        "N12345690",
    ),
]
# Index in DOCTORS of the people with logins; the first also took part in last year's cohort.
DOCTOR_LOGIN = 0
DOCTOR2_LOGIN = 1

# Last year's cohort: the doctor@ login's person plus these (first, last, native, specialty, ...).
PAST_ONLY_DOCTORS = [
    (
        "Olzhas",
        "Nurmagambetov",
        "Олжас Нұрмағамбетов",
        "general-surgery",
        "Abay Regional Hospital, Semey",
        "KZ-AB-09871",
        "N09876541",
    ),
    (
        "Zhuldyz",
        "Karimova",
        "Жұлдыз Кәрімова",
        "anaesthesiology",
        "Semey Medical University Hospital",
        "KZ-AB-09872",
        "N09876542",
    ),
    (
        "Yerbol",
        "Dzhaksybekov",
        "Ербол Жақсыбеков",
        "general-surgery",
        "Ayagoz District Hospital",
        "KZ-AB-09873",
        "N09876543",
    ),
    (
        "Ainur",
        "Sultanbekova",
        "Айнұр Сұлтанбекова",
        "anaesthesiology",
        "Kurchatov City Hospital",
        "KZ-AB-09874",
        "N09876544",
    ),
]

MASTERCLASS = {
    "title": "Modern approaches to trauma laparotomy",
    "description": "A day of case reviews and video-assisted surgery with a visiting specialist.",
    "lead_specialist": "Prof. Yoram Kluger",
    "lead_title": "Head of General Surgery, Rambam Health Care Campus",
    "venue": "City Clinical Hospital No. 7, conference hall",
    "city": "Almaty",
    "country": "Kazakhstan",
    "timezone": "Asia/Almaty",
    "local_start": (2026, 12, 16, 9, 0),
    "local_end": (2026, 12, 16, 17, 0),
    "capacity": 30,
    "credit_hours": 8.0,
}
