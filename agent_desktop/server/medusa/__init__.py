"""The Medusa v2 connector: orders, customers, fulfillments and refunds in by polling Medusa's
admin REST API (a secret API key), and the four order actions out (docs/SHOPS.md)."""
