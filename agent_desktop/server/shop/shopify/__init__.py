"""The Shopify connector (docs/SHOPS.md): webhooks in, Admin GraphQL API (2026-10) for backfill,
reconciliation and the order actions."""
