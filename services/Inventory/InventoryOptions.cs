namespace MeshStack.Inventory;

/// <summary>Section <c>Inventory</c>: how long stock is held for an order that has not confirmed it.</summary>
public sealed class InventoryOptions
{
    public const string Section = "Inventory";

    /// <summary>
    /// A held reservation expires this long after it was made. Longer than order's Saga:DeadlineSeconds plus
    /// Saga:LeaseSeconds, so that order gives up on (and releases) an order before its stock expires under it.
    /// </summary>
    public int ReservationTtlSeconds { get; set; } = 120;

    /// <summary>How often expired reservations are looked for.</summary>
    public int ExpirySweepSeconds { get; set; } = 5;
}
