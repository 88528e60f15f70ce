"""Identity documents: the shared cases and the peer vectors, masks and pseudonyms."""

import pytest

import precinct
from conftest import cases, shared_rows

# Where we deliberately differ from python-stdnum (it checks county codes
# against their history; we check the province), as in the Rust tests.
RIC_DIFFERENCES = {"110111198012010078", "110201199312010077"}


@pytest.mark.parametrize("case", cases("identity_documents.json")["cases"], ids=lambda c: f"{c['kind']}:{c['input'][:20]}")
def test_shared_identity_cases(case):
    if case["valid"]:
        assert precinct.validate_document(case["kind"], case["input"]) == case["normalized"]
    else:
        with pytest.raises(precinct.InvalidIdentityDocument) as e:
            precinct.validate_document(case["kind"], case["input"])
        assert case["error"] in str(e.value)
        assert e.value.code == "invalid_identity_document"
        assert isinstance(e.value, ValueError)


def test_resident_id_peer_vectors():
    checked = 0
    for row in shared_rows("cn_ric/ric_test_vectors.csv"):
        if row["source_expected_valid"] not in ("true", "false"):
            continue
        expected = (row["source_expected_valid"] == "true") != (row["number"] in RIC_DIFFERENCES)
        try:
            precinct.validate_document("resident_id", row["number"])
            ok = True
        except precinct.InvalidIdentityDocument:
            ok = False
        assert ok == expected, row
        checked += 1
    assert checked > 50


def test_credit_code_peer_vectors():
    rows = shared_rows("cn_ric/uscc_test_vectors.csv")
    for row in rows:
        try:
            precinct.validate_document("credit_code", row["number"])
            ok = True
        except precinct.InvalidIdentityDocument:
            ok = False
        assert ok == (row["source_expected_valid"] == "true"), row
    assert len(rows) > 200


def test_passport_mrz_peer_vectors():
    for row in shared_rows("mrz/td3_test_vectors.csv"):
        text = row["line1"] + "\n" + row["line2"]
        try:
            precinct.validate_document("passport_mrz", text)
            ok = True
        except precinct.InvalidIdentityDocument:
            ok = False
        assert ok == (row["all_check_digits_ok"] == "true"), row["id"]


def test_resident_id_details_and_masks():
    info = precinct.resident_id("11010519491231002X")
    assert str(info["birth_date"]) == "1949-12-31"
    assert info["sex"] == "female"
    assert info["region"] == "110105"
    assert precinct.mask_id_number("11010519491231002X") == "110105********002X"
    assert precinct.mask_phone("13912345678").startswith("139")
    assert precinct.mask_name("王秀英").startswith("王")
    a = precinct.pseudonym(b"a key of the station", "x")
    assert a == precinct.pseudonym(b"a key of the station", "x") != precinct.pseudonym(b"another key", "x")
    with pytest.raises(precinct.InvalidValue):
        precinct.validate_document("tax_number", "1")
