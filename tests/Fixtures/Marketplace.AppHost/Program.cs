using MeshStack.Hosting;
using Marketplace.AppHost;

// the same command line as any host: program, render, check, explain, on the marketplace
return MeshStackHost.Run(args, MarketplaceApp.Declare());
