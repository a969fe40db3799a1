using MeshStack.Postgres;

namespace MeshStack.Order;

public static class OrderSchema
{
    public static readonly IReadOnlyList<Migration> Migrations =
    [
        new(1, "orders",
            """
            CREATE TABLE orders (
                id              uuid          PRIMARY KEY,
                customer_id     text          NOT NULL,
                status          text          NOT NULL,
                currency        char(3),
                total           numeric(12,2),
                items           jsonb         NOT NULL,
                reservation_id  uuid,
                payment_id      uuid,
                failure         text,
                idempotency_key text          UNIQUE,
                request_hash    text,
                created_at      timestamptz   NOT NULL DEFAULT now(),
                updated_at      timestamptz   NOT NULL DEFAULT now());
            CREATE INDEX orders_by_created ON orders (created_at DESC, id DESC);
            CREATE INDEX orders_by_customer ON orders (customer_id, created_at DESC);
            """),
        // An Idempotency-Key is the customer's own: two shoppers who happen to pick the same key place two orders,
        // and a replay never answers one customer with another's order.
        new(2, "idempotency keys per customer",
            """
            ALTER TABLE orders DROP CONSTRAINT orders_idempotency_key_key;
            CREATE UNIQUE INDEX orders_by_customer_key ON orders (customer_id, idempotency_key);
            """),
        // The saga log: a pending order is leased by whoever advances it (the request that placed it, a retry with its
        // key, or the recovery process); a lease that runs out makes it due for recovery. Orders left pending before
        // this step are due at once.
        new(3, "saga leases",
            """
            ALTER TABLE orders ADD COLUMN lease_until timestamptz NOT NULL DEFAULT now(),
                               ADD COLUMN attempts    integer     NOT NULL DEFAULT 0;
            CREATE INDEX orders_pending_by_lease ON orders (lease_until) WHERE status = 'pending';
            """),
    ];
}
