#!/usr/bin/env python3
"""W1's decisions as GoRules ZEN decision tables (JDM), evaluated line by line from Python.

Usage: zen_bench.py PACK_DIR ORDERS_CSV [MAX_LINES]

Expresses in JDM what a table engine can: classification (HS prefix, composition threshold,
effective dates) as one `collect` table; licence coverage as one `first` table per supplier
(status, validity, category, customer, destination, end use; rows in the order Clearance
chooses: earliest valid.until, then id); restricted-party screening and the pack-wide rules as
tables. Party names are resolved and the catalogue looked up in Python, before ZEN is called.

Left out, because a stateless decision table cannot express them (Clearance does them all):
licence limits and usage drawn in input order, licence conditions on the selected licence,
three-valued logic (missing data is treated as "does not match", so a line without a date is
not sent to review), suspension windows, input-error reporting, reasons with messages and rule
positions, manual clearances.

Prints one line: `zen: LINES lines in SECONDS s (RATE lines/s); build MS ms; allow A review R deny D`.
"""
import csv
import json
import re
import sys
import time

import yaml
import zen

LEGAL = {"ab", "ag", "as", "bhd", "bv", "co", "company", "corp", "corporation", "cv", "gmbh", "inc", "incorporated", "kft", "kg",
         "kgaa", "kk", "limited", "llc", "llp", "lp", "ltd", "ltda", "nv", "oy", "oyj", "plc", "pte", "pty", "sa", "sae", "sarl",
         "sas", "sdn", "se", "spa", "sl", "srl", "sro", "zoo"}


def normalise(name):
    tokens = [re.sub(r"[^0-9a-z]", "", token) for token in name.lower().split()]
    tokens = [token for token in tokens if token]
    while len(tokens) > 1 and tokens[-1] in LEGAL:
        tokens.pop()
    return " ".join(tokens)


def load(pack_dir, name):
    with open(f"{pack_dir}/{name}.yaml") as handle:
        return yaml.load(handle, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def text(value):
    return json.dumps(value)


def graph(table):
    return json.dumps({
        "contentType": "application/vnd.gorules.decision",
        "nodes": [
            {"id": "in", "type": "inputNode", "name": "in", "position": {"x": 0, "y": 0}},
            {"id": "table", "type": "decisionTableNode", "name": "table", "position": {"x": 200, "y": 0}, "content": table},
            {"id": "out", "type": "outputNode", "name": "out", "position": {"x": 400, "y": 0}},
        ],
        "edges": [{"id": "e1", "type": "edge", "sourceId": "in", "targetId": "table"},
                  {"id": "e2", "type": "edge", "sourceId": "table", "targetId": "out"}],
    })


def percent(value):
    return float(str(value).rstrip("%"))


def build(pack_dir):
    categories = load(pack_dir, "categories")["categories"]
    licences = load(pack_dir, "licences")["licences"]
    parties = load(pack_dir, "parties")["parties"]
    products = {product["sku"]: product for product in load(pack_dir, "products")["products"]}
    groups = load(pack_dir, "pack").get("country_groups", {})

    rows = []
    for category in categories:
        hs = category["when"]["all"][0]["hs_code"]["prefix"][0]
        element, test = next(iter(category["when"]["all"][1].items()))
        threshold = percent(test["gte"])
        rows.append({"_id": category["id"], "i1": f'startsWith(hs_code, {text(hs)})',
                     "i2": f'(composition.{element.split(".")[1]} ?? 0) >= {threshold}',
                     "i3": f'date >= {text(str(category["effective"]["from"]))}',
                     "o1": text(category["id"]), "o2": text(category["control"])})
    classify = graph({"hitPolicy": "collect", "inputs": [{"id": "i1", "name": "hs"}, {"id": "i2", "name": "composition"},
                                                         {"id": "i3", "name": "effective"}],
                      "outputs": [{"id": "o1", "name": "category", "field": "category"},
                                  {"id": "o2", "name": "control", "field": "control"}], "rules": rows})

    def expand(destinations):
        out = []
        for destination in destinations:
            out += groups.get(destination[1:], []) if destination.startswith("@") else [destination]
        return out

    by_supplier = {}
    for licence in sorted(licences, key=lambda l: (str(l["valid"]["until"]), l["id"])):
        if licence["status"] != "active":
            continue
        customers = licence["customers"]
        destinations = licence["destinations"]
        by_supplier.setdefault(licence["holder"], []).append({
            "_id": licence["id"],
            "i1": f'category in {text(licence["categories"])}',
            "i2": "" if customers == "all" else f"customer in {text(customers)}",
            "i3": "" if destinations == "all" else f"destination in {text(expand(destinations))}",
            "i4": f'not (end_use in {text(licence.get("excluded_end_uses", []))})',
            "i5": f'date >= {text(str(licence["valid"]["from"]))} and date <= {text(str(licence["valid"]["until"]))}',
            "o1": text(licence["id"])})
    licence_tables = {supplier: graph({"hitPolicy": "first",
                                       "inputs": [{"id": f"i{n}", "name": f"i{n}"} for n in range(1, 6)],
                                       "outputs": [{"id": "o1", "name": "licence", "field": "licence"}], "rules": rows})
                      for supplier, rows in by_supplier.items()}

    listed = sorted(party["id"] for party in parties if party.get("lists"))
    rules = load(pack_dir, "rules")["rules"]
    screen_rows = [{"_id": "listed", "i1": f"customer in {text(listed)} or end_user in {text(listed)}", "o1": '"deny"'},
                   {"_id": "military", "i1": 'end_use in ["military", "defence", "weapons"]', "o1": '"deny"'},
                   {"_id": "embargo", "i1": 'destination in ["KP", "IR", "SY"]', "o1": '"deny"'},
                   {"_id": "high-value", "i1": "value > 5000000", "o1": '"review"'}]
    screen = graph({"hitPolicy": "collect", "inputs": [{"id": "i1", "name": "when"}],
                    "outputs": [{"id": "o1", "name": "verdict", "field": "verdict"}], "rules": screen_rows})

    names = {}
    for party in parties:
        for name in [party["name"]] + party.get("aliases", []):
            names.setdefault(normalise(name), set()).add(party["id"])
    ids = {party["id"] for party in parties}
    return classify, licence_tables, screen, products, names, ids, len(rules)


def main():
    pack_dir, orders = sys.argv[1], sys.argv[2]
    limit = int(sys.argv[3]) if len(sys.argv) > 3 else None
    started = time.perf_counter()
    classify_jdm, licence_jdm, screen_jdm, products, names, ids, _ = build(pack_dir)
    engine = zen.ZenEngine()
    classify = engine.create_decision(classify_jdm)
    screen = engine.create_decision(screen_jdm)
    licences = {supplier: engine.create_decision(content) for supplier, content in licence_jdm.items()}
    built = time.perf_counter()

    def resolve(raw):
        if not raw:
            return None
        if raw in ids:
            return raw
        found = names.get(normalise(raw), set())
        return next(iter(found)) if len(found) == 1 else None

    counts = {"allow": 0, "review": 0, "deny": 0}
    lines = 0
    with open(orders, newline="") as handle:
        for row in csv.DictReader(handle):
            if limit is not None and lines >= limit:
                break
            lines += 1
            product = products.get(row["product"], {})
            composition = {key: percent(value) for key, value in (product.get("composition") or {}).items()}
            supplier, customer, end_user = resolve(row["supplier"]), resolve(row["customer"]), resolve(row["end_user"])
            try:
                value = float(row["value"].split()[0])
            except (ValueError, IndexError):
                value = 0
            context = {"hs_code": product.get("hs_code", ""), "composition": composition, "date": row["date"],
                       "customer": customer, "end_user": end_user, "destination": row["destination"],
                       "end_use": row["end_use"], "value": value}
            verdicts = [hit["verdict"] for hit in screen.evaluate(context)["result"]]
            if supplier is None or customer is None:
                verdicts.append("review")
            for hit in classify.evaluate(context)["result"]:
                if hit["control"] == "prohibited":
                    verdicts.append("deny")
                elif hit["control"] == "review":
                    verdicts.append("review")
                else:
                    table = licences.get(supplier)
                    covered = table.evaluate(dict(context, category=hit["category"]))["result"] if table else {}
                    if not covered.get("licence"):
                        verdicts.append("deny")
            verdict = "deny" if "deny" in verdicts else "review" if "review" in verdicts else "allow"
            counts[verdict] += 1
    finished = time.perf_counter()
    seconds = finished - built
    print(f"zen: {lines} lines in {seconds:.3f} s ({lines / seconds:.0f} lines/s); build {(built - started) * 1000:.0f} ms; "
          f"allow {counts['allow']} review {counts['review']} deny {counts['deny']}")


if __name__ == "__main__":
    main()
