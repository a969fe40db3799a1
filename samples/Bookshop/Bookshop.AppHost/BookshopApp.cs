using MeshStack.Topology;

namespace Bookshop.AppHost;

/// <summary>A two-service bookshop: a public web front end and the catalog API it calls, which keeps its data in PostgreSQL.</summary>
public static class BookshopApp
{
    public static AppTopology Declare()
    {
        var app = new AppBuilder("bookshop");

        var catalog = app.AddService("catalog").WithDatabase();
        var listBooks = catalog.Get("list-books", PathMatch.Exact("/books"));
        var getBook = catalog.Get("get-book", PathMatch.Prefix("/books/"));
        var addBook = catalog.Post("add-book", PathMatch.Exact("/books"));
        // setting the stock of a book to a value twice leaves the same stock: the mesh may retry it
        var setStock = catalog.Post("set-stock", PathMatch.Regex("/books/[^/]+/stock"), idempotent: true);

        var web = app.AddService("web").AsPublic();
        web.Get("pages", PathMatch.Prefix("/")).Forwards(listBooks, getBook);
        web.Post("admin", PathMatch.Prefix("/admin/")).Forwards(addBook, setStock);

        return app.Build();
    }
}
