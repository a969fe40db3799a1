using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Mvc;

namespace MeshStack.Order;

/// <summary>
/// Compile-time JSON for order's own API, its stored items and its calls to inventory and payment:
/// no reflection-emitted serializers at run time.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, NumberHandling = JsonNumberHandling.Strict)]
[JsonSerializable(typeof(CreateOrderRequest))]
[JsonSerializable(typeof(Order))]
[JsonSerializable(typeof(IReadOnlyList<Order>))]
[JsonSerializable(typeof(List<OrderItem>))]
[JsonSerializable(typeof(ReservationRequest))]
[JsonSerializable(typeof(ReservationResponse))]
[JsonSerializable(typeof(PaymentRequest))]
[JsonSerializable(typeof(RefundRequest))]
[JsonSerializable(typeof(PaymentResponse))]
[JsonSerializable(typeof(DeclinedResponse))]
[JsonSerializable(typeof(HttpValidationProblemDetails))]
[JsonSerializable(typeof(ProblemDetails))]
internal sealed partial class OrderJson : JsonSerializerContext;
