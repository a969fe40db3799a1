using System.Text.Json;
using System.Text.Json.Serialization;

namespace MeshStack.Payment;

/// <summary>Compile-time JSON for payment's wire types: no reflection-emitted serializers at run time.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, NumberHandling = JsonNumberHandling.Strict)]
[JsonSerializable(typeof(PaymentRequest))]
[JsonSerializable(typeof(Payment))]
[JsonSerializable(typeof(RefundRequest))]
internal sealed partial class PaymentJson : JsonSerializerContext;
