using MeshStack.Postgres;

namespace MeshStack.Payment;

public static class PaymentSchema
{
    public static readonly IReadOnlyList<Migration> Migrations =
    [
        // One row per order, whatever happened to it: the unique order_id is what makes a charge idempotent, across
        // restarts and replicas, and what lets a void arrive before the charge it cancels.
        new(1, "payment ledger",
            """
            CREATE TABLE payments (
                id          uuid          PRIMARY KEY,
                order_id    uuid          NOT NULL UNIQUE,
                amount      numeric(12,2) CHECK (amount > 0),
                currency    char(3),
                status      text          NOT NULL,
                created_at  timestamptz   NOT NULL DEFAULT now(),
                refunded_at timestamptz);
            """),
    ];
}
