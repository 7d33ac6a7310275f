"""The demo shop's catalogue: 46 products (clothes, shoes, accessories, home) with SKUs, French
and English titles, a colour for the generated picture, and prices in EUR cents.

Prices are listed EXCLUDING VAT. An order's tax is 20 % VAT on (subtotal + shipping), added on
top: total = subtotal + shipping + tax (see ``shop.order_totals``).
"""

from __future__ import annotations

from dataclasses import dataclass

VAT_RATE_PERCENT = 20
CURRENCY = "EUR"


@dataclass(frozen=True, slots=True)
class Product:
    sku: str
    kind: str  # which drawing in pictures.py
    category: str  # clothes | shoes | accessories | home
    rgb: tuple[int, int, int]
    title_en: str
    title_fr: str
    price: int  # EUR cents, excluding VAT
    short_en: str  # how a customer names it in a message ("the blue shirt")
    short_fr: str

    def title(self, locale: str) -> str:
        return self.title_fr if locale == "fr" else self.title_en

    def short(self, locale: str) -> str:
        return self.short_fr if locale == "fr" else self.short_en

    @property
    def image_url(self) -> str:
        return f"/media/products/{self.sku}.png"


def _p(
    sku: str,
    kind: str,
    category: str,
    rgb: tuple[int, int, int],
    en: str,
    fr: str,
    price: int,
    short_en: str,
    short_fr: str,
) -> Product:
    return Product(sku, kind, category, rgb, en, fr, price, short_en, short_fr)


PRODUCTS: tuple[Product, ...] = (
    # clothes
    _p("TS-ORG-WHT", "tshirt", "clothes", (244, 242, 236), "Organic cotton T-shirt, white", "T-shirt en coton bio blanc", 1658, "the white T-shirt", "le t-shirt blanc"),
    _p("TS-ORG-NVY", "tshirt", "clothes", (34, 48, 86), "Organic cotton T-shirt, navy", "T-shirt en coton bio bleu marine", 1658, "the navy T-shirt", "le t-shirt bleu marine"),
    _p("TS-BRT-RED", "breton", "clothes", (196, 48, 52), "Breton striped top, red stripes", "Marinière à rayures rouges", 2492, "the striped top", "la marinière"),
    _p("SH-OXF-BLU", "shirt", "clothes", (126, 166, 214), "Oxford shirt, sky blue", "Chemise Oxford bleu ciel", 4158, "the blue shirt", "la chemise bleue"),
    _p("SH-LIN-ECR", "shirt", "clothes", (236, 228, 210), "Linen shirt, off-white", "Chemise en lin écrue", 4575, "the linen shirt", "la chemise en lin"),
    _p("SH-FLN-GRN", "shirt", "clothes", (62, 112, 72), "Flannel shirt, forest green", "Chemise en flanelle vert forêt", 3742, "the green flannel shirt", "la chemise en flanelle verte"),
    _p("SW-MER-GRY", "sweater", "clothes", (138, 140, 146), "Merino jumper, grey", "Pull en mérinos gris", 5825, "the grey jumper", "le pull gris"),
    _p("SW-CBL-CRM", "sweater", "clothes", (232, 220, 190), "Cable-knit jumper, cream", "Pull torsadé crème", 6242, "the cream jumper", "le pull crème"),
    _p("HD-CLS-BLK", "hoodie", "clothes", (44, 44, 48), "Hooded sweatshirt, black", "Sweat à capuche noir", 4575, "the black hoodie", "le sweat à capuche noir"),
    _p("HD-CLS-OLV", "hoodie", "clothes", (112, 122, 72), "Hooded sweatshirt, olive", "Sweat à capuche olive", 4575, "the olive hoodie", "le sweat à capuche olive"),
    _p("DR-SUM-MUS", "dress", "clothes", (226, 178, 52), "Summer dress, mustard", "Robe d'été moutarde", 4992, "the mustard dress", "la robe moutarde"),
    _p("DR-WRP-TER", "dress", "clothes", (190, 92, 62), "Wrap dress, terracotta", "Robe portefeuille terracotta", 5825, "the terracotta dress", "la robe terracotta"),
    _p("JN-SLM-IND", "jeans", "clothes", (52, 72, 122), "Slim jeans, indigo", "Jean slim indigo", 5825, "the jeans", "le jean"),
    _p("CH-REG-BEI", "jeans", "clothes", (204, 184, 142), "Chinos, beige", "Chino beige", 4992, "the chinos", "le chino"),
    _p("JK-DNM-BLU", "jacket", "clothes", (84, 114, 164), "Denim jacket", "Veste en jean", 7492, "the denim jacket", "la veste en jean"),
    _p("JK-RAI-YLW", "jacket", "clothes", (246, 198, 40), "Raincoat, yellow", "Ciré jaune", 6658, "the yellow raincoat", "le ciré jaune"),
    # shoes
    _p("SN-CLS-WHT", "sneaker", "shoes", (246, 246, 244), "Classic leather sneakers, white", "Baskets en cuir blanches", 7492, "the white sneakers", "les baskets blanches"),
    _p("SN-RUN-BLU", "sneaker", "shoes", (44, 96, 204), "Running shoes, blue", "Chaussures de running bleues", 8325, "the running shoes", "les chaussures de running"),
    _p("SN-CNV-RED", "sneaker", "shoes", (204, 44, 54), "Canvas sneakers, red", "Baskets en toile rouges", 4158, "the red sneakers", "les baskets rouges"),
    _p("BT-CHL-BRN", "boot", "shoes", (112, 72, 42), "Chelsea boots, brown", "Bottines Chelsea marron", 10825, "the brown boots", "les bottines marron"),
    _p("BT-CHL-BLK", "boot", "shoes", (38, 38, 40), "Chelsea boots, black", "Bottines Chelsea noires", 10825, "the black boots", "les bottines noires"),
    _p("SD-LTH-TAN", "sandal", "shoes", (192, 142, 92), "Leather sandals, tan", "Sandales en cuir camel", 4992, "the sandals", "les sandales"),
    # accessories
    _p("BG-TOT-NAT", "tote", "accessories", (226, 210, 178), "Canvas tote bag", "Tote bag en toile", 2075, "the tote bag", "le tote bag"),
    _p("BG-LTH-CGN", "handbag", "accessories", (154, 82, 42), "Leather handbag, cognac", "Sac à main en cuir cognac", 12492, "the leather bag", "le sac en cuir"),
    _p("BP-CTY-GRY", "backpack", "accessories", (102, 108, 114), "City backpack, grey", "Sac à dos urbain gris", 6658, "the grey backpack", "le sac à dos gris"),
    _p("BP-CTY-GRN", "backpack", "accessories", (72, 112, 92), "City backpack, green", "Sac à dos urbain vert", 6658, "the green backpack", "le sac à dos vert"),
    _p("CP-BSB-NVY", "cap", "accessories", (32, 42, 82), "Baseball cap, navy", "Casquette bleu marine", 2075, "the cap", "la casquette"),
    _p("BN-WOL-MUS", "beanie", "accessories", (204, 152, 42), "Wool beanie, mustard", "Bonnet en laine moutarde", 1908, "the beanie", "le bonnet"),
    _p("SC-WOL-BRG", "scarf", "accessories", (146, 36, 52), "Wool scarf, burgundy", "Écharpe en laine bordeaux", 3325, "the scarf", "l'écharpe"),
    _p("SG-AVI-TRT", "sunglasses", "accessories", (122, 80, 42), "Sunglasses, tortoiseshell", "Lunettes de soleil écaille", 5825, "the sunglasses", "les lunettes de soleil"),
    _p("WT-MIN-BLK", "watch", "accessories", (36, 36, 38), "Minimalist watch, black strap", "Montre minimaliste, bracelet noir", 9992, "the watch", "la montre"),
    _p("WT-MIN-BRN", "watch", "accessories", (134, 86, 50), "Minimalist watch, brown leather", "Montre minimaliste, cuir marron", 9992, "the watch", "la montre"),
    _p("BL-LTH-BRN", "belt", "accessories", (104, 62, 32), "Leather belt, brown", "Ceinture en cuir marron", 2908, "the belt", "la ceinture"),
    _p("SK-PCK-ORG", "socks", "accessories", (222, 122, 62), "Socks, pack of 3", "Lot de 3 paires de chaussettes", 1242, "the socks", "les chaussettes"),
    # home
    _p("MG-STN-BLU", "mug", "home", (72, 122, 172), "Stoneware mug, blue", "Mug en grès bleu", 1242, "the blue mug", "le mug bleu"),
    _p("MG-STN-SGE", "mug", "home", (150, 172, 140), "Stoneware mug, sage", "Mug en grès vert sauge", 1242, "the green mug", "le mug vert"),
    _p("MG-ENM-WHT", "mug", "home", (242, 242, 240), "Enamel mug, white", "Tasse émaillée blanche", 1075, "the white mug", "la tasse blanche"),
    _p("CN-SOY-AMB", "candle", "home", (222, 162, 82), "Scented soy candle, amber", "Bougie parfumée ambre", 2075, "the candle", "la bougie"),
    _p("CU-LIN-TER", "cushion", "home", (202, 112, 82), "Linen cushion cover, terracotta", "Housse de coussin en lin terracotta", 2492, "the cushion cover", "la housse de coussin"),
    _p("CU-VLV-EMR", "cushion", "home", (40, 104, 82), "Velvet cushion cover, emerald", "Housse de coussin velours émeraude", 2908, "the velvet cushion", "le coussin en velours"),
    _p("PL-CER-WHT", "pot", "home", (236, 236, 230), "Ceramic plant pot", "Cache-pot en céramique", 2325, "the plant pot", "le cache-pot"),
    _p("LP-TBL-BRS", "lamp", "home", (204, 162, 62), "Table lamp, brass", "Lampe à poser en laiton", 7492, "the lamp", "la lampe"),
    _p("VS-GLS-BLU", "vase", "home", (92, 152, 194), "Glass vase, blue", "Vase en verre bleu", 3325, "the vase", "le vase"),
    _p("TW-BTH-GRY", "towel", "home", (162, 166, 172), "Bath towel, grey", "Serviette de bain grise", 2075, "the towel", "la serviette"),
    _p("PT-CER-SET", "plate", "home", (240, 236, 226), "Ceramic dinner plates, set of 4", "Lot de 4 assiettes en céramique", 3742, "the plates", "les assiettes"),
    _p("TH-WOL-CRM", "towel", "home", (226, 214, 192), "Wool throw, cream", "Plaid en laine crème", 6658, "the throw", "le plaid"),
)  # fmt: skip

PRODUCTS_BY_SKU: dict[str, Product] = {p.sku: p for p in PRODUCTS}
# What customers ask size and care questions about.
WEARABLES: tuple[Product, ...] = tuple(p for p in PRODUCTS if p.category in ("clothes", "shoes"))
