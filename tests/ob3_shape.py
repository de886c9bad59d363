"""The shape of an Open Badges 3.0 AchievementCredential, and a small JSON Schema checker.

Written down from the 1EdTech OB 3.0 JSON Schema for the AchievementCredential class
(draft 2019-09, ``$id`` .../ob/v3p0/schema/json/achievementcredentialv3p0.schema.json, as
published in the 1EdTech openbadges-specification repository): the required members and the
types of the credential and of the classes a SOMET badge uses (Profile, AchievementSubject,
Achievement, Criteria, CredentialStatus, CredentialSchema, with AchievementSubject closed to
other members as the schema has it), plus the §8.2 VC-JWT rules the tests check separately.
Not the whole schema (endorsements, results, alignments ... are not used), and no JSON Schema
library: the venv has none, so ``problems`` below covers the keywords this shape uses.
"""

from __future__ import annotations

import re

TEXT = {"type": "string"}
DATE_TIME = {"type": "string", "format": "date-time"}
IRI_SET = {"oneOf": [TEXT, {"type": "array", "minItems": 1, "items": TEXT}]}
EXTENSIBLE = {"type": "string", "pattern": "(ext:)[a-z|A-Z|0-9|.|-|_]+"}
ACHIEVEMENT_TYPES = [
    "Achievement", "ApprenticeshipCertificate", "Assessment", "Assignment", "AssociateDegree",
    "Award", "Badge", "BachelorDegree", "Certificate", "CertificateOfCompletion",
    "Certification", "CommunityService", "Competency", "Course", "CoCurricular", "Degree",
    "Diploma", "DoctoralDegree", "Fieldwork", "GeneralEducationDevelopment",
    "JourneymanCertificate", "LearningProgram", "License", "Membership",
    "ProfessionalDoctorate", "QualityAssuranceCredential", "MasterCertificate", "MasterDegree",
    "MicroCredential", "ResearchDoctorate", "SecondarySchoolDiploma",
]  # fmt: skip

ACHIEVEMENT_CREDENTIAL = {
    "type": "object",
    "required": ["@context", "id", "type", "name", "credentialSubject", "issuer", "issuanceDate"],
    "properties": {
        "@context": {
            "type": "array",
            "minItems": 1,
            "items": {"anyOf": [{"type": "object"}, TEXT]},
        },
        "id": TEXT,
        "type": IRI_SET,
        "name": TEXT,
        "description": TEXT,
        "issuer": {"$ref": "#/$defs/Profile"},
        "issuanceDate": DATE_TIME,
        "expirationDate": DATE_TIME,
        "awardedDate": DATE_TIME,
        "credentialSubject": {"$ref": "#/$defs/AchievementSubject"},
        "credentialStatus": {
            "type": "object",
            "required": ["id", "type"],
            "properties": {"id": TEXT, "type": TEXT},
        },
        "credentialSchema": {
            "oneOf": [
                {"$ref": "#/$defs/CredentialSchema"},
                {"type": "array", "items": {"$ref": "#/$defs/CredentialSchema"}},
            ]
        },
    },
    "$defs": {
        "Profile": {
            "type": "object",
            "required": ["id", "type"],
            "properties": {
                "id": TEXT,
                "type": IRI_SET,
                "name": TEXT,
                "url": TEXT,
                "description": TEXT,
                "email": TEXT,
            },
        },
        "AchievementSubject": {
            "type": "object",
            "required": ["type", "achievement"],
            "additionalProperties": False,
            "properties": {
                "id": TEXT,
                "type": IRI_SET,
                "activityStartDate": DATE_TIME,
                "activityEndDate": DATE_TIME,
                "creditsEarned": {"type": "number"},
                "achievement": {"$ref": "#/$defs/Achievement"},
                "identifier": {"type": "array"},
                "image": {"type": "object"},
                "licenseNumber": TEXT,
                "narrative": TEXT,
                "result": {"type": "array"},
                "role": TEXT,
                "source": {"$ref": "#/$defs/Profile"},
                "term": TEXT,
            },
        },
        "Achievement": {
            "type": "object",
            "required": ["id", "type", "criteria", "description", "name"],
            "properties": {
                "id": TEXT,
                "type": IRI_SET,
                "name": TEXT,
                "description": TEXT,
                "criteria": {"$ref": "#/$defs/Criteria"},
                "achievementType": {
                    "anyOf": [{"type": "string", "enum": ACHIEVEMENT_TYPES}, EXTENSIBLE]
                },
                "creditsAvailable": {"type": "number"},
                "humanCode": TEXT,
                "fieldOfStudy": TEXT,
                "specialization": TEXT,
                "tag": {"type": "array", "items": TEXT},
            },
        },
        "Criteria": {"type": "object", "properties": {"id": TEXT, "narrative": TEXT}},
        "CredentialSchema": {
            "type": "object",
            "required": ["id", "type"],
            "properties": {"id": TEXT, "type": TEXT},
        },
    },
}

# RFC 3339 date-time with its zone, as JSON Schema's "date-time" format
_DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
_TYPES = {"object": dict, "array": list, "string": str, "boolean": bool}


def problems(value, schema: dict, root: dict | None = None, path: str = "$") -> list[str]:
    """Where ``value`` breaks ``schema`` (an empty list when it fits)."""
    root = root or schema
    if "$ref" in schema:
        name = schema["$ref"].removeprefix("#/$defs/")
        return problems(value, root["$defs"][name], root, path)
    for keyword in ("anyOf", "oneOf"):
        if keyword in schema:
            fits = [not problems(value, option, root, path) for option in schema[keyword]]
            wanted = any(fits) if keyword == "anyOf" else sum(fits) == 1
            if not wanted:
                return [f"{path}: matches {sum(fits)} of the {keyword} options"]
    found = _type_problem(value, schema.get("type"), path)
    if found:
        return [found]
    return _object_problems(value, schema, root, path) + _value_problems(value, schema, root, path)


def _type_problem(value, kind: str | None, path: str) -> str | None:
    if kind is None:
        return None
    if kind == "number":
        ok = isinstance(value, int | float) and not isinstance(value, bool)
    else:
        ok = isinstance(value, _TYPES[kind])
    return None if ok else f"{path}: not of type {kind}"


def _object_problems(value, schema: dict, root: dict, path: str) -> list[str]:
    if not isinstance(value, dict):
        return []
    found = [f"{path}: {name} is required" for name in schema.get("required", ())
             if name not in value]  # fmt: skip
    properties = schema.get("properties", {})
    for name, member in value.items():
        if name in properties:
            found += problems(member, properties[name], root, f"{path}.{name}")
        elif schema.get("additionalProperties") is False:
            found.append(f"{path}: {name} is not allowed")
    return found


def _value_problems(value, schema: dict, root: dict, path: str) -> list[str]:
    found = []
    if isinstance(value, list):
        if len(value) < schema.get("minItems", 0):
            found.append(f"{path}: fewer than {schema['minItems']} items")
        for index, item in enumerate(value):
            if "items" in schema:
                found += problems(item, schema["items"], root, f"{path}[{index}]")
    if isinstance(value, str):
        if "enum" in schema and value not in schema["enum"]:
            found.append(f"{path}: {value!r} is not one of the allowed values")
        if "pattern" in schema and not re.search(schema["pattern"], value):
            found.append(f"{path}: {value!r} does not match {schema['pattern']}")
        if schema.get("format") == "date-time" and not _DATE_TIME.match(value):
            found.append(f"{path}: {value!r} is not a date-time")
    return found
