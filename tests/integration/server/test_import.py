"""`agent-desktop-server import FILE`: a JSON export in the API's shapes and Shopify's order CSV,
imported into a server's database (twice: nothing changes the second time), bad records reported
with their place while the rest is imported, and the result visible through the API."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.helpers.server_fixtures import ROOT, ServerProcess, auth_headers, login

CSV = """Name,Email,Financial Status,Paid at,Fulfillment Status,Fulfilled at,Currency,Subtotal,Shipping,Taxes,Total,Discount Code,Discount Amount,Created at,Lineitem quantity,Lineitem name,Lineitem price,Lineitem sku,Billing Name,Shipping Name,Shipping Address1,Shipping Address2,Shipping City,Shipping Zip,Shipping Country,Shipping Phone,Cancelled at,Payment Method,Refunded Amount,Vendor,Id
#1001,lan@example.vn,paid,2026-11-20 10:04:11 +0700,fulfilled,2026-11-21 09:00:00 +0700,VND,1125000,30000,0,1155000,TET10,125000,2026-11-20 10:04:11 +0700,1,Áo dài lụa,1250000,AO-DAI-1,Nguyễn Thị Lan,Nguyễn Thị Lan,12 Lý Thường Kiệt,,Hà Nội,'100000,VN,+84 912 345 678,,MoMo,0,Shop,5550001
#1002,haruto@example.jp,partially_refunded,2026-11-22 08:00:00 +0900,,,JPY,3000,600,0,3600,,0,2026-11-22 08:00:00 +0900,2,抹茶 100g,1500,TEA-MATCHA,佐藤 陽翔,佐藤 陽翔,1-2-3 Shibuya,,Tokyo,150-0002,JP,,,Credit card,1500,Shop,5550002
#1003,lan@example.vn,refunded,2026-11-23 10:00:00 +0700,,,VND,200000,0,0,200000,,0,2026-11-23 10:00:00 +0700,1,Nón lá,150000,NON-LA,Nguyễn Thị Lan,Nguyễn Thị Lan,12 Lý Thường Kiệt,,Hà Nội,100000,VN,,2026-11-23 12:00:00 +0700,MoMo,200000,Shop,5550003
#1003,,,,,,,,,,,,,,1,Quạt giấy,50000,QUAT,,,,,,,,,,,,Shop,
#1004,bad@example.fr,paid,,,,EUR,10.00,0,0,10.00,,0,2026-11-24 10:00:00 +0100,two,Mug,10.00,MUG,Bad Row,,,,,,,,,,0,Shop,5550004
"""


def run_import(path: Path, database: str, *extra: str) -> tuple[int, dict[str, Any] | str]:
    proc = subprocess.run(
        [sys.executable, "-m", "agent_desktop.server", "import", str(path), "--database", database, *extra],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), "AGENT_DESKTOP_DATA_DIR": str(path.parent / "data")},
    )  # fmt: skip
    try:
        return proc.returncode, json.loads(proc.stdout)
    except json.JSONDecodeError:
        return proc.returncode, proc.stderr


def test_csv_and_json_imports(tmp_path: Path) -> None:
    database = f"sqlite+aiosqlite:///{tmp_path / 'db.sqlite'}"
    export = tmp_path / "orders_export.csv"
    export.write_text(CSV, encoding="utf-8")
    status, summary = run_import(export, database)
    assert status == 1, summary  # one bad record; the others are in
    assert isinstance(summary, dict)
    assert summary["orders"]["created"] == 3 and summary["customers"]["created"] == 3
    assert summary["errors"] == 1 and "order #1004 (line 6)" in summary["first_errors"][0]
    assert "'two' on line 6 is not a whole number" in summary["first_errors"][0]
    status, again = run_import(export, database)
    assert isinstance(again, dict) and again["orders"] == {
        "created": 0,
        "updated": 0,
        "unchanged": 3,
        "older": 0,
    }

    document = {
        "customers": [{"external_id": "lan@example.vn", "name": "Nguyễn Thị Lan", "email": "lan@example.vn",
                       "locale": "vi", "updated_at": "2026-11-25T00:00:00Z"},
                      {"external_id": "", "name": "No id"}],
        "orders": [{"external_id": "5550009", "customer_external_id": "lan@example.vn", "number": "#1009",
                    "placed_at": "2026-11-25T08:00:00Z", "status": "processing", "currency": "VND",
                    "items": [{"sku": "NON-LA", "title": "Nón lá", "quantity": 2, "unit_price": 150000}],
                    "subtotal": 300000, "total": 300000}],
    }  # fmt: skip
    path = tmp_path / "shop.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    status, summary = run_import(path, database)
    assert isinstance(summary, dict), summary
    assert summary["orders"]["created"] == 1 and summary["customers"]["updated"] == 1
    assert summary["first_errors"] == ["customer 2: external_id is missing."]
    (tmp_path / "broken.json").write_text("{not json", encoding="utf-8")
    status, message = run_import(tmp_path / "broken.json", database)
    assert status == 2 and "not valid JSON" in str(message)

    server = ServerProcess(tmp_path / "server", ("--seed-test",), database_url=database).start()
    try:
        token = login(server)
        import httpx

        with httpx.Client(base_url=server.api, headers=auth_headers(token)) as c:
            lan = c.get("/customers", params={"q": "nguyen thi lan"}).json()["items"]
            assert [x["name"] for x in lan] == ["Nguyễn Thị Lan"] and lan[0]["locale"] == "vi"
            orders = {
                o["number"]: o for o in c.get(f"/customers/{lan[0]['id']}/orders").json()["items"]
            }
            assert set(orders) == {"#1001", "#1003", "#1009"}
            first = orders["#1001"]
            assert first["currency"] == "VND" and first["total"] == 1_155_000
            assert first["discount"] == 125_000 and first["subtotal"] == 1_250_000
            assert (
                first["status"] == "shipped"
                and first["shipping_address"]["postal_code"] == "100000"
            )
            assert first["source"] == {"kind": "api", "external_id": "5550001"}
            cancelled = orders["#1003"]
            assert cancelled["status"] == "cancelled" and cancelled["refunded"] == 200_000
            assert [i["sku"] for i in cancelled["items"]] == ["NON-LA", "QUAT"]
            tea = c.get("/customers", params={"q": "#1002"}).json()["items"][0]
            order = c.get(f"/customers/{tea['id']}/orders").json()["items"][0]
            assert order["currency"] == "JPY" and order["items"][0]["unit_price"] == 1500
            assert order["refunded"] == 1500 and order["items"][0]["title"] == "抹茶 100g"
    finally:
        server.stop()
