using MeshStack.Identity;

namespace MeshStack.Order;

/// <summary>
/// Who may see and place which orders. With JWTs checked, the customer is the token's subject: a shopper lists and
/// reads only their own orders (someone else's order answers 404, as if it did not exist) and places orders only for
/// themselves (a body naming another customer is 403; one naming none is the subject's); an admin reads every order.
/// With JWTs not checked there is no caller to compare with, and nothing is restricted.
/// </summary>
public static class OrderAccess
{
    /// <summary>Which customer's orders a list may show (null: everyone's), or the refusal.</summary>
    public static (string? CustomerId, IResult? Refusal) ListScope(Caller caller, string? requested)
    {
        if (!caller.IsRestricted || requested is null || requested == caller.Subject)
        {
            return (caller.IsRestricted ? caller.Subject : requested, null);
        }

        return (null, Forbidden("You can list only your own orders."));
    }

    public static bool CanRead(Caller caller, Order order) => !caller.IsRestricted || order.CustomerId == caller.Subject;

    /// <summary>The request with its customer set to the caller's subject, or the refusal.</summary>
    public static (CreateOrderRequest Request, IResult? Refusal) ForPlacing(Caller caller, CreateOrderRequest request)
    {
        if (caller.Subject is null || request.CustomerId == caller.Subject)
        {
            return (request, null);
        }

        return request.CustomerId is null
            ? (request with { CustomerId = caller.Subject }, null)
            : (request, Forbidden("Orders are placed for the signed-in customer only; leave customerId out or set it to your own."));
    }

    private static IResult Forbidden(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Not your orders.", detail: detail);
}
