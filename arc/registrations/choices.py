"""The fixed answer lists of a registration: ethnic backgrounds, eligibility answers and leaving reasons.

The stored codes and values are those of the live database; the descriptions are what pages and
exports show.
"""

from arc.registrations.models import LEAVING_REASONS

# Ethnic background of the main carer. NULL (and "0", written by the previous service for "Please
# select") means the question was not answered.
ETHNICITIES = {
    "AAFG": "Asian/Asian British - Afghani",
    "ABAN": "Asian/Asian British - Bangladeshi",
    "ACHN": "Asian/Asian British - Chinese",
    "AIND": "Asian/Asian British - Indian",
    "APKN": "Asian/Asian British - Pakistani",
    "AOTH": "Asian/Asian British - Any other Asian background",
    "BAFR": "Black/Black British - African",
    "BCRB": "Black/Black British - Caribbean",
    "BMOR": "Black/Black British - Moroccan",
    "BSOM": "Black/Black British - Somalian",
    "BOTH": "Black/Black British - Any other Black/British background",
    "MLAM": "Mixed - Latin American",
    "MWAS": "Mixed - White and Asian",
    "MWBA": "Mixed - White and Black African",
    "MWBC": "Mixed - White and Black Caribbean",
    "MOTH": "Mixed - Any other Mixed/Multiple background",
    "OARA": "Other ethnic group - Arab",
    "OSYR": "Other ethnic group - Syrian",
    "OTUR": "Other ethnic group - Turkish",
    "OOTH": "Other ethnic group - Any other ethnic group",
    "WBRI": "White - British",
    "WOTH": "White - Any other White background",
    "NOBT": "Not answered",
}
NOT_ANSWERED = "Not answered"

HSBS_CHOICES = {
    "healthy-start-applying": "Applying",
    "healthy-start-receiving": "Receiving",
    "healthy-start-receiving-not-eligible-or-rejected": "Not eligible or rejected",
}
NRPF_CHOICES = {"yes": "Yes", "no": "No"}


def ethnicity_description(code):
    """Return the description of a stored ethnicity code; "Not answered" for NULL, "0" or an unknown code."""
    return ETHNICITIES.get(code or "", NOT_ANSWERED)


def stored_ethnicity(code):
    """Return a stored ethnicity as a form value: "" for NULL, "0" or an unknown code."""
    return code if code in ETHNICITIES else ""


__all__ = [
    "ETHNICITIES",
    "HSBS_CHOICES",
    "LEAVING_REASONS",
    "NOT_ANSWERED",
    "NRPF_CHOICES",
    "ethnicity_description",
    "stored_ethnicity",
]
