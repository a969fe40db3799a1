using Ecommerce.AppHost;
using MeshStack.Hosting;

// `program` (what Pulumi runs), `render`, `check` and `explain` for the ecommerce application
return MeshStackHost.Run(args, EcommerceApp.Declare());
