"""Independent payloads for the differential tests (tests/js/qr.test.mjs).

Reads a JSON list of cases on stdin and prints a JSON list of payloads (or
{"error": ...}) built by python `segno` (EPC QR code, the data it encodes)
and python `qrbill` (Swiss QR-bill). Installed by scripts/setup.sh.
"""
import json
import sys

from qrbill import QRBill
from segno import helpers


def epc(case):
    data = helpers._make_epc_qr_data(
        name=case["name"],
        iban=case["iban"],
        amount=case["amount"],
        text=case.get("text"),
        reference=case.get("reference"),
        bic=case.get("bic"),
        encoding="utf-8",
    )
    return data.decode("utf-8")


def swiss(case):
    creditor = {
        "name": case["creditor"]["name"],
        "pcode": case["creditor"]["postalCode"],
        "city": case["creditor"]["town"],
        "country": case["creditor"]["country"],
    }
    if case["creditor"].get("street"):
        creditor["street"] = case["creditor"]["street"]
    if case["creditor"].get("houseNumber"):
        creditor["house_num"] = case["creditor"]["houseNumber"]
    bill = QRBill(
        account=case["iban"],
        creditor=creditor,
        amount=case.get("amount"),
        currency=case["currency"],
        reference_number=case.get("reference"),
        additional_information=case.get("message") or "",
    )
    # qrbill separates with CR LF, the plug-in with LF: both are allowed.
    return bill.qr_data().replace("\r\n", "\n")


def main():
    out = []
    for case in json.load(sys.stdin):
        try:
            out.append(epc(case) if case["kind"] == "epc" else swiss(case))
        except Exception as error:  # an oracle refusal is data for the test
            out.append({"error": str(error)})
    json.dump(out, sys.stdout, ensure_ascii=False)


main()
