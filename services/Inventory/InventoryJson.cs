using System.Text.Json;
using System.Text.Json.Serialization;

namespace MeshStack.Inventory;

/// <summary>Compile-time JSON for inventory's wire types: no reflection-emitted serializers at run time.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, NumberHandling = JsonNumberHandling.Strict)]
[JsonSerializable(typeof(IReadOnlyList<Product>))]
[JsonSerializable(typeof(ReservationRequest))]
[JsonSerializable(typeof(Reservation))]
[JsonSerializable(typeof(ReleasedReservation))]
[JsonSerializable(typeof(IReadOnlyList<Shortage>))]
internal sealed partial class InventoryJson : JsonSerializerContext;
