using Bookshop.AppHost;
using MeshStack.Hosting;

return MeshStackHost.Run(args, BookshopApp.Declare());
