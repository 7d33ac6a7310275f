"""The shop side of the reference server: one order model fed by several sources (the demo shop,
Shopify, Medusa, the generic ingest API), the order actions agents take from a conversation, and
the link between a conversation's customer and the shop's customer record.

`source.OrderSource` is the interface every shop implements (the four actions); `ingest` is the
one way orders and customers come in, whatever their source.
"""
