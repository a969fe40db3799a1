using MeshStack.Postgres;

namespace MeshStack.Inventory;

public static class InventorySchema
{
    public static readonly IReadOnlyList<Migration> Migrations =
    [
        new(1, "products and reservations",
            """
            CREATE TABLE products (
                sku      text          PRIMARY KEY,
                name     text          NOT NULL,
                price    numeric(12,2) NOT NULL CHECK (price >= 0),
                currency char(3)       NOT NULL,
                stock    integer       NOT NULL CHECK (stock >= 0));
            CREATE TABLE reservations (
                id          uuid        PRIMARY KEY,
                order_id    uuid        NOT NULL UNIQUE,
                status      text        NOT NULL,
                currency    char(3)     NOT NULL,
                created_at  timestamptz NOT NULL DEFAULT now(),
                released_at timestamptz);
            CREATE TABLE reservation_lines (
                reservation_id uuid          NOT NULL REFERENCES reservations (id),
                line           integer       NOT NULL,
                sku            text          NOT NULL REFERENCES products (sku),
                quantity       integer       NOT NULL CHECK (quantity > 0),
                unit_price     numeric(12,2) NOT NULL,
                PRIMARY KEY (reservation_id, line));
            """),
        new(2, "seed catalogue",
            """
            INSERT INTO products (sku, name, price, currency, stock) VALUES
                ('MUG-001',   'Mesh mug',            12.50, 'USD', 100),
                ('TEE-002',   'Sidecar T-shirt',     24.00, 'USD', 100),
                ('CAP-003',   'Control-plane cap',   18.00, 'USD', 100),
                ('STK-004',   'Sticker pack',         4.99, 'USD', 500),
                ('HOOD-005',  'Zero-trust hoodie',   49.00, 'USD',  50),
                ('BOOK-006',  'Distributed tracing', 39.90, 'USD',  25)
            ON CONFLICT (sku) DO NOTHING;
            """),
        // Held reservations expire (InventoryOptions.ReservationTtlSeconds), so stock taken for an order that never
        // completes comes back by itself. Rows held before this step get the default time from now.
        new(3, "reservation expiry",
            """
            ALTER TABLE reservations ADD COLUMN expires_at timestamptz;
            UPDATE reservations SET expires_at = now() + interval '120 seconds' WHERE status = 'held';
            CREATE INDEX reservations_held_by_expiry ON reservations (expires_at) WHERE status = 'held';
            """),
    ];
}
