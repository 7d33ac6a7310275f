"""The Admin GraphQL documents the connector sends (API version 2026-10). Each names its operation,
so logs and the test fake know which one it is. Page sizes keep every query's requested cost well
under Shopify's 1,000-point ceiling (an order as read here costs about 210 points).
"""

from __future__ import annotations

ORDERS_PER_PAGE = 4  # 4 × ~210 points

ORDER_FIELDS = """
fragment OrderFields on Order {
  id legacyResourceId name createdAt processedAt updatedAt cancelledAt cancelReason
  email customerLocale displayFinancialStatus displayFulfillmentStatus
  currencyCode presentmentCurrencyCode paymentGatewayNames discountCodes
  totalPriceSet { presentmentMoney { amount currencyCode } }
  totalTaxSet { presentmentMoney { amount currencyCode } }
  totalShippingPriceSet { presentmentMoney { amount currencyCode } }
  totalDiscountsSet { presentmentMoney { amount currencyCode } }
  totalRefundedSet { presentmentMoney { amount currencyCode } }
  customer {
    id firstName lastName displayName locale updatedAt
    defaultEmailAddress { emailAddress } defaultPhoneNumber { phoneNumber }
  }
  shippingAddress { name firstName lastName address1 address2 city zip countryCodeV2 }
  lineItems(first: 20) { nodes {
    id name sku quantity
    originalUnitPriceSet { presentmentMoney { amount currencyCode } } } }
  fulfillments(first: 5) {
    id name status displayStatus createdAt updatedAt deliveredAt estimatedDeliveryAt
    trackingInfo(first: 2) { company number url }
    events(first: 3, sortKey: HAPPENED_AT, reverse: false) { nodes { status happenedAt message city } }
    fulfillmentLineItems(first: 10) { nodes { id quantity lineItem { id sku } } }
  }
  refunds(first: 5) {
    id createdAt note
    totalRefundedSet { presentmentMoney { amount currencyCode } }
    refundLineItems(first: 10) { nodes { quantity lineItem { id sku } } }
  }
  returns(first: 5) { nodes {
    id name status createdAt
    returnLineItems(first: 10) { nodes { ... on ReturnLineItem {
      quantity returnReason fulfillmentLineItem { id lineItem { id sku } } } } }
    reverseFulfillmentOrders(first: 1) { nodes { reverseDeliveries(first: 1) { nodes {
      deliverable { ... on ReverseDeliveryShippingDeliverable {
        tracking { carrierName number url } } } } } } }
  } }
}
"""

ORDER = (
    """
query Order($id: ID!) {
  order(id: $id) { ...OrderFields }
}
"""
    + ORDER_FIELDS
)

CUSTOMER_ORDERS = (
    """
query CustomerOrders($id: ID!, $first: Int!, $after: String) {
  customer(id: $id) {
    id
    orders(first: $first, after: $after, sortKey: CREATED_AT, reverse: true) {
      pageInfo { hasNextPage endCursor }
      nodes { ...OrderFields }
    }
  }
}
"""
    + ORDER_FIELDS
)

ORDERS_UPDATED_SINCE = (
    """
query OrdersUpdatedSince($query: String!, $first: Int!, $after: String) {
  orders(first: $first, after: $after, query: $query, sortKey: UPDATED_AT) {
    pageInfo { hasNextPage endCursor }
    nodes { ...OrderFields }
  }
}
"""
    + ORDER_FIELDS
)

FULFILLMENT_LINES = """
query FulfillmentLines($id: ID!) {
  order(id: $id) {
    id
    fulfillments(first: 10) {
      id status
      fulfillmentLineItems(first: 50) { nodes { id quantity lineItem { id sku } } }
    }
    returns(first: 10) { nodes { id status
      returnLineItems(first: 50) { nodes { ... on ReturnLineItem {
        quantity fulfillmentLineItem { id } } } } } }
  }
}
"""

SUGGESTED_REFUND = """
query SuggestedRefund($id: ID!, $amount: Money, $lines: [RefundLineItemInput!]) {
  order(id: $id) {
    id
    suggestedRefund(suggestFullRefund: false, refundLineItems: $lines, refundShipping: false) {
      amountSet { presentmentMoney { amount currencyCode } }
      suggestedTransactions {
        gateway kind
        amountSet { presentmentMoney { amount currencyCode } }
        parentTransaction { id }
      }
    }
    transactions(first: 10) { id kind status gateway
      amountSet { presentmentMoney { amount currencyCode } } }
  }
}
"""

ORDER_CANCEL = """
mutation OrderCancel($orderId: ID!, $reason: OrderCancelReason!, $notify: Boolean!, $note: String) {
  orderCancel(orderId: $orderId, reason: $reason, restock: true, notifyCustomer: $notify,
              staffNote: $note, refundMethod: { originalPaymentMethodsRefund: true }) {
    job { id done }
    orderCancelUserErrors { field message code }
  }
}
"""

JOB = """
query Job($id: ID!) {
  job(id: $id) { id done }
}
"""

# `@idempotent` is mandatory for refundCreate from 2026-04: the action's id is the key, so a
# retried request returns the refund already made instead of making a second one.
REFUND_CREATE = """
mutation RefundCreate($input: RefundInput!, $key: String!) {
  refundCreate(input: $input) @idempotent(key: $key) {
    refund { id createdAt totalRefundedSet { presentmentMoney { amount currencyCode } } }
    userErrors { field message }
  }
}
"""

RETURN_CREATE = """
mutation ReturnCreate($input: ReturnInput!) {
  returnCreate(returnInput: $input) {
    return { id name status }
    userErrors { field message code }
  }
}
"""

RETURN_APPROVE = """
mutation ReturnApproveRequest($id: ID!) {
  returnApproveRequest(input: { id: $id }) {
    return { id name status }
    userErrors { field message code }
  }
}
"""

ORDER_UPDATE = """
mutation OrderUpdate($input: OrderInput!) {
  orderUpdate(input: $input) {
    order { id shippingAddress { name address1 address2 city zip countryCodeV2 } }
    userErrors { field message }
  }
}
"""
